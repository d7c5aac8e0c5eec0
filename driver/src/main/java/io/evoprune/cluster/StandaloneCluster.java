package io.evoprune.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.spark.launcher.JavaModuleOptions;

/**
 * A real Spark standalone cluster on 127.0.0.1, for the cluster tests and the benchmark suite's scale-out figures:
 * one Master and N Workers, each its own JVM started from the Maven-resolved Spark jars
 * (driver/target/spark-home/jars), each Worker with one core (or as many as asked), so every executor is a
 * separate JVM as on a real cluster. Everything it starts carries a marker system property naming this
 * cluster's folder; {@link #close()} kills every process it started, executors included, by PID, and then
 * any process still carrying the marker, so nothing outlives a test run even when a test fails or hangs.
 */
public final class StandaloneCluster implements AutoCloseable {
    public static final String HOST = "127.0.0.1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Path sparkHome;
    private final Path dir;
    private final Map<String, String> daemonConf;
    private final List<Process> started = new ArrayList<>();
    private final List<Process> workers = new ArrayList<>();
    private final Thread shutdownHook = new Thread(this::stopAll, "stop-standalone-cluster");
    private final int masterPort;
    private final int masterUiPort;

    private StandaloneCluster(Path sparkHome, Path dir, Map<String, String> daemonConf) throws IOException {
        this.sparkHome = sparkHome;
        this.dir = dir;
        this.daemonConf = Map.copyOf(daemonConf);
        this.masterPort = freePort();
        this.masterUiPort = freePort();
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts a Master and {@code workerCount} one-core Workers and waits until all Workers are registered.
     *
     * @param daemonConf Spark settings for the Master and Workers (e.g. spark.authenticate and its secret)
     */
    public static StandaloneCluster start(Path sparkHome, Path dir, int workerCount, Map<String, String> daemonConf)
            throws IOException, InterruptedException {
        return start(sparkHome, dir, workerCount, 1, daemonConf, Map.of());
    }

    /**
     * Starts a Master and {@code workerCount} Workers of {@code coresPerWorker} cores each and waits until all are
     * registered.
     *
     * @param daemonConf Spark settings for the Master and Workers (e.g. spark.authenticate, or a Worker's
     *                   {@code spark.worker.resource.gpu.*})
     * @param workerEnv  extra environment of the Workers (and so of their executors and discovery scripts)
     */
    public static StandaloneCluster start(Path sparkHome, Path dir, int workerCount, int coresPerWorker,
                                          Map<String, String> daemonConf, Map<String, String> workerEnv)
            throws IOException, InterruptedException {
        if (!Files.isDirectory(sparkHome.resolve("jars"))) {
            throw new IllegalStateException(sparkHome.resolve("jars") + " is missing: run `mvn package` first "
                    + "(maven-dependency-plugin copies Spark's jars there)");
        }
        Files.createDirectories(dir.resolve("tmp"));
        StandaloneCluster cluster = new StandaloneCluster(sparkHome, dir, daemonConf);
        // Leftovers of an earlier test JVM that was itself killed (no shutdown hook ran) hold this folder's marker.
        cluster.marked().forEach(ProcessHandle::destroyForcibly);
        try {
            cluster.startDaemon("master", "org.apache.spark.deploy.master.Master", Map.of(),
                    "--host", HOST, "--port", Integer.toString(cluster.masterPort),
                    "--webui-port", Integer.toString(cluster.masterUiPort));
            for (int i = 0; i < workerCount; i++) {
                Path work = Files.createDirectories(dir.resolve("worker-" + i));
                cluster.workers.add(cluster.startDaemon("worker-" + i, "org.apache.spark.deploy.worker.Worker",
                        workerEnv, cluster.masterUrl(), "--host", HOST, "--cores", Integer.toString(coresPerWorker),
                        "--memory", "2g",
                        "--webui-port", Integer.toString(freePort()), "--work-dir", work.toString()));
            }
            cluster.await("all " + workerCount + " workers registered", Duration.ofSeconds(120),
                    () -> cluster.aliveWorkers() == workerCount);
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    public String masterUrl() {
        return "spark://" + HOST + ":" + masterPort;
    }

    public Path sparkHome() {
        return sparkHome;
    }

    /** The JVM option every process of this cluster carries, so that a sweep can find stragglers. */
    public String marker() {
        return "-Devoprune.loopback.cluster=" + dir.toAbsolutePath();
    }

    /**
     * The settings of a driver in this JVM for this cluster: bound to loopback, {@code executors} one-core executors
     * that must all be up before the first job (so every executor works), the application jar put on their class
     * path from this machine (no copy), and this cluster's temp folder, marker and {@code javacppCache} in their
     * JVMs. Callers add what their run needs (UI, event log, authentication).
     */
    public org.apache.spark.SparkConf applicationConf(String appName, Path applicationJar, int executors,
                                                      String javacppCache) {
        return new org.apache.spark.SparkConf()
                .setMaster(masterUrl())
                .setAppName(appName)
                .set("spark.driver.host", HOST)
                .set("spark.driver.bindAddress", HOST)
                .set("spark.cores.max", Integer.toString(executors))
                .set("spark.executor.cores", "1")
                .set("spark.executor.memory", "1g")
                .set("spark.scheduler.minRegisteredResourcesRatio", "1.0")
                .set("spark.scheduler.maxRegisteredResourcesWaitingTime", "120s")
                .set("spark.executor.extraClassPath", applicationJar.toString())
                .set("spark.executor.extraJavaOptions", String.join(" ", "-Djava.io.tmpdir=" + dir.resolve("tmp"),
                        "-Dorg.bytedeco.javacpp.cachedir=" + javacppCache, marker()))
                .set("spark.local.dir", dir.resolve("local").toString());
    }

    /** The environment our JVMs (daemons, drivers) run with: the SPARK_HOME stand-in and Spark's launcher needs. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SPARK_HOME", sparkHome.toAbsolutePath().toString());
        // Spark's launcher finds jars/ by Scala version in a non-distribution SPARK_HOME; executors fail without it.
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", HOST);
        env.put("OMP_NUM_THREADS", "1");
        // Executors run the matrix kernels this JVM runs (conf/openblas-coretype.sh): the same results, bit for bit.
        String coretype = System.getenv("OPENBLAS_CORETYPE");
        if (coretype != null && !coretype.isEmpty()) { // empty would make OpenBLAS guess, unlike unset
            env.put("OPENBLAS_CORETYPE", coretype);
        }
        return env;
    }

    /** The JVM options our JVMs need on Java 17 (Spark's own list), plus temp folder and marker. */
    public List<String> jvmOptions() {
        List<String> options = new ArrayList<>(Arrays.asList(JavaModuleOptions.defaultModuleOptionArray()));
        options.add("-Djava.io.tmpdir=" + dir.resolve("tmp").toAbsolutePath());
        options.add(marker());
        return options;
    }

    /** Starts a JVM that this cluster owns and stops with itself; output goes to {@code <name>.log}. */
    public Process launch(String name, List<String> command, Map<String, String> extraEnv) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log(name).toFile()));
        pb.environment().putAll(environment());
        pb.environment().putAll(extraEnv);
        Process p = pb.start();
        synchronized (started) {
            started.add(p);
        }
        return p;
    }

    public Path log(String name) {
        return dir.resolve(name + ".log");
    }

    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** An executor JVM and the index of the Worker that launched it. */
    public record Executor(ProcessHandle process, int worker) {
        public long pid() {
            return process.pid();
        }
    }

    /** Executor JVMs now running under the Workers. */
    public List<Executor> executors() {
        List<Executor> executors = new ArrayList<>();
        for (int i = 0; i < workers.size(); i++) {
            int worker = i;
            workers.get(i).descendants()
                    .filter(h -> h.isAlive() && commandLine(h).contains("CoarseGrainedExecutorBackend"))
                    .forEach(h -> executors.add(new Executor(h, worker)));
        }
        return executors;
    }

    public int aliveWorkers() {
        JsonNode state = masterState();
        int alive = 0;
        for (JsonNode w : state.path("workers")) {
            if ("ALIVE".equals(w.path("state").asText())) {
                alive++;
            }
        }
        return alive;
    }

    /** The Master's own view (its web UI's /json): workers, running and completed applications. */
    public JsonNode masterState() {
        try {
            return getJson("http://" + HOST + ":" + masterUiPort + "/json/");
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    public static JsonNode getJson(String url) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException(url + " answered " + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while reading " + url, e);
        }
    }

    public static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(250);
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public static String commandLine(ProcessHandle h) {
        return h.info().commandLine().orElse("");
    }

    /** Every live process on this machine that carries this cluster's marker. */
    public List<ProcessHandle> marked() {
        String marker = marker();
        return ProcessHandle.allProcesses().filter(h -> h.isAlive() && commandLine(h).contains(marker))
                .collect(Collectors.toList());
    }

    private Process startDaemon(String name, String mainClass, Map<String, String> env, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx512m"));
        command.addAll(jvmOptions());
        daemonConf.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-cp", sparkHome.resolve("jars").toAbsolutePath() + "/*", mainClass));
        command.addAll(List.of(args));
        return launch(name, command, env);
    }

    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down and runs the hook itself.
        }
    }

    /**
     * Kills, by PID, every process started here and all their descendants (executors), last-started first, then
     * any process still carrying the marker (e.g. an executor orphaned while its Worker died), and waits for
     * them to be gone.
     */
    private void stopAll() {
        List<Process> processes;
        synchronized (started) {
            processes = new ArrayList<>(started);
        }
        List<ProcessHandle> killed = new ArrayList<>();
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process p = processes.get(i);
            List<ProcessHandle> children = p.descendants().collect(Collectors.toList());
            children.forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            // A Worker may have launched one more executor between the snapshot and its own death.
            children.addAll(p.descendants().collect(Collectors.toList()));
            children.forEach(ProcessHandle::destroyForcibly);
            killed.addAll(children);
            killed.add(p.toHandle());
        }
        for (ProcessHandle h : marked()) {
            h.destroyForcibly();
            killed.add(h);
        }
        for (ProcessHandle h : killed) {
            try {
                h.onExit().get(30, TimeUnit.SECONDS);
            } catch (InterruptedException | java.util.concurrent.ExecutionException
                     | java.util.concurrent.TimeoutException e) {
                System.err.println("StandaloneCluster: process " + h.pid() + " did not exit: " + e);
            }
        }
    }
}
