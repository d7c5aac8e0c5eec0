package io.evoprune.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.evoprune.config.RunConfig;
import io.evoprune.config.Settings;
import io.evoprune.farm.EvaluationCounters;
import io.evoprune.farm.SparkEvaluationFarm;
import io.evoprune.job.PruningJob;
import io.evoprune.job.RunFailedException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * evoprune on a real Spark standalone cluster: a Master and two one-core Workers as separate JVMs on
 * 127.0.0.1, with {@code spark.authenticate} on. Every search here is the same small search; each must end
 * exactly where the same search ends on {@code local[2]}, whatever happens to its executors.
 */
@Tag("cluster")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterIT {
    static final Path DRIVER = Path.of(System.getProperty("user.dir"));
    static final Path ROOT = DRIVER.getParent();
    static final Path APP_JAR = DRIVER.resolve("target/evoprune.jar");
    static final Path TEST_CLASSES = DRIVER.resolve("target/test-classes");
    static final String SECRET = "evoprune-cluster-test-secret";
    static final Path JAVACPP_CACHE_DIR = Path.of(System.getProperty("user.home"), ".javacpp", "evoprune-cache");
    static final String JAVACPP_CACHE = "-Dorg.bytedeco.javacpp.cachedir=" + JAVACPP_CACHE_DIR;

    private StandaloneCluster cluster;
    private Path dir;
    private RunOutputs reference;
    private Path baseModel;
    private String monitoredApp;

    @BeforeAll
    void startCluster() throws Exception {
        dir = Files.createDirectories(DRIVER.resolve("target/cluster-it"));
        try (var old = Files.list(dir)) {
            if (old.findAny().isPresent()) {
                deleteTree(dir);
                Files.createDirectories(dir);
            }
        }
        Files.createDirectories(dir.resolve("events"));
        long t = System.nanoTime();
        cluster = StandaloneCluster.start(DRIVER.resolve("target/spark-home"), dir, 2,
                Map.of("spark.authenticate", "true", "spark.authenticate.secret", SECRET));
        log("cluster of a Master and 2 Workers up in %.1f s", seconds(t));

        // The reference: the same search on local[2], in this JVM. It pretrains the base the others load.
        t = System.nanoTime();
        SparkConf local = new SparkConf().setMaster("local[2]").set("spark.ui.enabled", "false")
                .set("spark.local.dir", dir.resolve("local").toString());
        Path run = search("reference", local, Map.of());
        baseModel = run.resolve("base-model.zip");
        reference = RunOutputs.read(run);
        log("reference search on local[2] in %.1f s", seconds(t));
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
            assertEquals(List.of(), cluster.marked(), "processes of the test cluster outlived it");
        }
    }

    /** The small search every test runs: 4 masks, 2 generations, a few batches of fine-tuning each. */
    private Map<String, String> searchSettings(String name) {
        return searchSettings(dir, name, baseModel);
    }

    /** The small search of the cluster tests, its runs under {@code dir}/runs, from {@code baseModel} if not null. */
    static Map<String, String> searchSettings(Path dir, String name, Path baseModel) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("data.path", ROOT.resolve("data/fashion-mnist-small").toString());
        s.put("data.finetune.size", "2000");
        s.put("data.validation.size", "500");
        s.put("data.test.size", "500");
        s.put("model.pretrain.epochs", "1");
        s.put("finetune.max-batches", "10");
        s.put("finetune.batch-size", "64");
        s.put("search.population", "4");
        s.put("search.generations", "2");
        s.put("output.dir", dir.resolve("runs").toString());
        s.put("output.run-name", name);
        if (baseModel != null) {
            s.put("model.path", baseModel.toString());
        }
        return s;
    }

    private Path search(String name, SparkConf spark, Map<String, String> overrides) throws IOException {
        return search(name, spark, overrides, new ByteArrayOutputStream());
    }

    private Path search(String name, SparkConf spark, Map<String, String> overrides, ByteArrayOutputStream console)
            throws IOException {
        Map<String, String> settings = searchSettings(name);
        settings.putAll(overrides);
        return search(dir, name, settings, spark, console);
    }

    /** Runs a search in this JVM (the driver); its console output goes to {@code dir}/{@code name}.console.txt. */
    static Path search(Path dir, String name, Map<String, String> settings, SparkConf spark,
                       ByteArrayOutputStream console) throws IOException {
        RunConfig config = RunConfig.from(Settings.defaults().with(settings, "test"));
        try (PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8)) {
            return Path.of(new PruningJob(config, out).run(spark).toUri().getPath());
        } finally {
            Files.writeString(dir.resolve(name + ".console.txt"), console.toString(StandardCharsets.UTF_8));
        }
    }

    /** A driver in this JVM for the cluster: authenticated, UI on a free port, event log on. */
    private SparkConf clusterConf(String name, int uiPort) {
        return cluster.applicationConf("evoprune-it-" + name, APP_JAR, 2, JAVACPP_CACHE_DIR.toString())
                .set("spark.ui.enabled", "true")
                .set("spark.ui.port", Integer.toString(uiPort))
                .set("spark.authenticate", "true")
                .set("spark.authenticate.secret", SECRET)
                .set("spark.eventLog.enabled", "true")
                .set("spark.eventLog.dir", dir.resolve("events").toUri().toString());
    }

    @Test
    @Order(1)
    void searchRunsOnTwoExecutorJvmsWithItsGenerationsInTheSparkUi() throws Exception {
        long t = System.nanoTime();
        int uiPort = StandaloneCluster.freePort();
        String ui = "http://" + StandaloneCluster.HOST + ":" + uiPort + "/api/v1/applications";
        // The driver stops after generation 1 until the UI has been read: a generation is too quick to catch.
        PausedAfter pause = new PausedAfter("gen 1/");
        CompletableFuture<Path> run = CompletableFuture.supplyAsync(() -> {
            try {
                return search("cluster", clusterConf("cluster", uiPort), Map.of(), pause);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });

        // Between generations 1 and 2 the UI shows the finished ones.
        String app = awaitApplication(ui, run);
        monitoredApp = app;
        JsonNode jobs;
        JsonNode stages;
        JsonNode environment;
        JsonNode executorsSeen;
        List<StandaloneCluster.Executor> executors;
        JsonNode generationOne;
        try {
            assertTrue(pause.reached.await(4, TimeUnit.MINUTES), "generation 1 never finished");
            generationOne = awaitJob(ui + "/" + app, SparkEvaluationFarm.jobGroup(1), run);
            executors = cluster.executors();
            jobs = StandaloneCluster.getJson(ui + "/" + app + "/jobs");
            stages = StandaloneCluster.getJson(ui + "/" + app + "/stages?details=false");
            environment = StandaloneCluster.getJson(ui + "/" + app + "/environment");
            executorsSeen = StandaloneCluster.getJson(ui + "/" + app + "/allexecutors");
        } finally {
            pause.resume.countDown();
        }
        RunOutputs outputs = RunOutputs.read(run.get(5, TimeUnit.MINUTES));
        log("search on the cluster in %.1f s", seconds(t));

        // Separate JVMs: one executor under each Worker, neither of them this JVM.
        assertEquals(2, executors.size(), "executor JVMs under the Workers: " + executors);
        Set<Integer> workersUsed = executors.stream().map(StandaloneCluster.Executor::worker).collect(Collectors.toSet());
        assertEquals(Set.of(0, 1), workersUsed, "each Worker runs one executor");
        Set<Long> pids = executors.stream().map(StandaloneCluster.Executor::pid).collect(Collectors.toSet());
        assertEquals(2, pids.size());
        assertTrue(!pids.contains(ProcessHandle.current().pid()), "an executor is the driver's own JVM");
        int executorsWithTasks = 0;
        for (JsonNode e : executorsSeen) {
            if (!"driver".equals(e.path("id").asText()) && e.path("completedTasks").asInt() > 0) {
                executorsWithTasks++;
            }
        }
        assertEquals(2, executorsWithTasks, "both executors ran evaluations: " + executorsSeen);

        // Same result as local[2], bit for bit.
        assertEquals(reference, outputs);

        // Spark UI: one job group per generation, described with its best fitness so far; named accumulators.
        Map<String, JsonNode> byGroup = new HashMap<>();
        for (JsonNode job : jobs) {
            byGroup.put(job.path("jobGroup").asText(), job);
        }
        JsonNode generationZero = byGroup.get(SparkEvaluationFarm.jobGroup(0));
        assertTrue(generationZero != null, "no job group for generation 0 in " + jobs);
        assertTrue(generationZero.path("description").asText().startsWith("generation 0: fine-tune and score 4 masks"),
                generationZero.toString());
        assertEquals("SUCCEEDED", generationOne.path("status").asText());
        assertTrue(generationOne.path("description").asText().matches(
                ".*\\(best fitness so far 0\\.\\d{4}, \\d+ masks? from the cache in earlier generations\\)"), generationOne.toString());
        assertTrue(generationOne.path("name").asText().startsWith("generation 1: fine-tune and score"),
                generationOne.toString());
        int evaluatedByGenerationOne = generationOne.path("numCompletedTasks").asInt() + 4;
        Map<String, Long> accumulators = new HashMap<>();
        for (JsonNode stage : stages) {
            if (generationOne.path("stageIds").toString().contains(stage.path("stageId").asText())) {
                for (JsonNode acc : stage.path("accumulatorUpdates")) {
                    accumulators.put(acc.path("name").asText(), acc.path("value").asLong());
                }
            }
        }
        assertEquals((long) evaluatedByGenerationOne, accumulators.get(EvaluationCounters.EVALUATIONS),
                "accumulators of generation 1's stage: " + accumulators);
        assertEquals(0L, accumulators.getOrDefault(EvaluationCounters.FAILED, 0L), accumulators.toString());

        // The effective evoprune configuration in the Environment tab.
        Map<String, String> sparkProperties = new HashMap<>();
        for (JsonNode pair : environment.path("sparkProperties")) {
            sparkProperties.put(pair.get(0).asText(), pair.get(1).asText());
        }
        assertEquals("4", sparkProperties.get("spark.evoprune.search.population"), sparkProperties.toString());
        assertEquals("10", sparkProperties.get("spark.evoprune.finetune.max-batches"));
    }

    @Test
    @Order(2)
    void executorKilledMidGenerationLosesAndRepeatsNothing() throws Exception {
        long t = System.nanoTime();
        int uiPort = StandaloneCluster.freePort();
        String ui = "http://" + StandaloneCluster.HOST + ":" + uiPort + "/api/v1/applications";
        // An executor halts itself as it starts its first task of generation 0 (HaltFirstExecutor, whose classes
        // alone join the executors' class path): killed mid-task, at the same point on every run.
        Path plugin = dir.resolve("plugin-classes");
        Path pkg = Path.of(HaltFirstExecutor.class.getPackageName().replace('.', '/'));
        Files.createDirectories(plugin.resolve(pkg));
        try (var classes = Files.newDirectoryStream(TEST_CLASSES.resolve(pkg), "HaltFirstExecutor*.class")) {
            for (Path c : classes) {
                Files.copy(c, plugin.resolve(pkg).resolve(c.getFileName().toString()));
            }
        }
        Path marker = dir.resolve("halted-executor");
        SparkConf spark = clusterConf("executor-killed", uiPort)
                .set("spark.plugins", HaltFirstExecutor.class.getName())
                .set(HaltFirstExecutor.MARKER, marker.toString())
                .set("spark.executor.extraClassPath", APP_JAR + java.io.File.pathSeparator + plugin);
        CompletableFuture<Path> run = CompletableFuture.supplyAsync(() -> searchUnchecked("executor-killed",
                spark, Map.of()));
        String app = awaitApplication(ui, run);

        JsonNode generationZero = awaitJob(ui + "/" + app, SparkEvaluationFarm.jobGroup(0), run);
        JsonNode executorsSeen = StandaloneCluster.getJson(ui + "/" + app + "/allexecutors");
        RunOutputs outputs = RunOutputs.read(run.get(5, TimeUnit.MINUTES));
        log("search with a killed executor in %.1f s", seconds(t));

        assertTrue(Files.exists(marker), "no executor halted");
        String[] halted = Files.readString(marker, StandardCharsets.UTF_8).split(" ");
        String executorId = halted[0];
        log("executor %s (pid %s) halted at the start of a task of generation 0", executorId, halted[1]);
        assertTrue(ProcessHandle.of(Long.parseLong(halted[1])).filter(ProcessHandle::isAlive).isEmpty(),
                "executor " + executorId + " is still running");
        assertEquals("SUCCEEDED", generationZero.path("status").asText(), generationZero.toString());
        assertTrue(generationZero.path("numFailedTasks").asInt() >= 1,
                "the killed executor's task was not retried: " + generationZero);
        boolean lost = false;
        for (JsonNode e : executorsSeen) {
            if (e.path("id").asText().equals(executorId)) {
                lost = !e.path("isActive").asBoolean();
            }
        }
        assertTrue(lost, "executor " + executorId + " is not reported lost: " + executorsSeen);
        // Every mask evaluated once, none lost or counted twice: the same run as without the fault.
        assertEquals(reference, outputs);
    }

    @Test
    @Order(3)
    void historyServerFromTheSameJarsListsTheFinishedRun() throws Exception {
        assertTrue(monitoredApp != null, "the cluster search did not run");
        long t = System.nanoTime();
        int port = StandaloneCluster.freePort();
        List<String> command = new ArrayList<>(List.of(StandaloneCluster.java(), "-Xmx512m"));
        command.addAll(cluster.jvmOptions());
        command.add("-Dspark.history.fs.logDirectory=" + dir.resolve("events").toUri());
        command.add("-Dspark.history.ui.port=" + port);
        command.add("-Dspark.history.fs.update.interval=1s");
        command.addAll(List.of("-cp", cluster.sparkHome().resolve("jars").toAbsolutePath() + "/*",
                "org.apache.spark.deploy.history.HistoryServer"));
        Process history = cluster.launch("history-server", command, Map.of());
        try {
            String api = "http://" + StandaloneCluster.HOST + ":" + port + "/api/v1/applications";
            StandaloneCluster.await("the History Server to list " + monitoredApp, Duration.ofSeconds(120),
                    () -> listed(api, monitoredApp));
            JsonNode jobs = StandaloneCluster.getJson(api + "/" + monitoredApp + "/jobs");
            Set<String> groups = new HashSet<>();
            jobs.forEach(j -> groups.add(j.path("jobGroup").asText()));
            assertEquals(Set.of(SparkEvaluationFarm.jobGroup(0), SparkEvaluationFarm.jobGroup(1),
                    SparkEvaluationFarm.jobGroup(2)), groups, "job groups of the finished run");
            log("History Server listed the finished run in %.1f s", seconds(t));
        } finally {
            history.destroyForcibly();
            history.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(4)
    void submittedJarKilledAfterAGenerationResumesToTheUninterruptedResult() throws Exception {
        long t = System.nanoTime();
        Path run = dir.resolve("runs/submitted");
        List<String> settings = new ArrayList<>(List.of("run"));
        searchSettings("submitted").forEach((k, v) -> settings.addAll(List.of("--set", k + "=" + v)));
        Process first = submit("submit-first", settings);
        // Kill -9 the driver once a generation is checkpointed (its executors go with their application).
        Path checkpoints = run.resolve("checkpoint");
        StandaloneCluster.await("a checkpoint of the submitted run", Duration.ofMinutes(4), () -> {
            if (!first.isAlive()) {
                throw new AssertionError("spark-submit ended early with exit code " + first.exitValue() + "; see "
                        + cluster.log("submit-first"));
            }
            try (var files = Files.list(checkpoints)) {
                return files.anyMatch(f -> f.getFileName().toString().endsWith(".ckpt"));
            } catch (IOException e) {
                return false; // no checkpoint folder yet
            }
        });
        first.destroyForcibly();
        first.waitFor(30, TimeUnit.SECONDS);
        assertTrue(!Files.exists(run.resolve("_SUCCESS")), "the run finished before the driver was killed");
        log("submitted run killed after a checkpoint, %.1f s", seconds(t));

        Process resumed = submit("submit-resume", List.of("run", "--resume", run.toString()));
        assertTrue(resumed.waitFor(5, TimeUnit.MINUTES), "the resumed run did not finish in 5 minutes");
        assertEquals(0, resumed.exitValue(), "exit code of the resumed run; see " + cluster.log("submit-resume"));
        String console = Files.readString(cluster.log("submit-resume"));
        assertTrue(console.contains("evoprune: resuming run"), console);
        assertEquals(reference.bestBits(), RunOutputs.read(run).bestBits(), "best mask after resume");
        assertEquals(reference, RunOutputs.read(run));
        log("spark-submit, kill, resume in %.1f s", seconds(t));
    }

    @Test
    @Order(5)
    void driverWithoutTheClusterSecretIsRefused() throws Exception {
        // Every search above ran with spark.authenticate and the cluster's secret; a driver with another secret
        // must not get in: the Master never registers its application, and the run fails (it used to hang for
        // good in its first broadcast once Spark gave up and stopped the context underneath it).
        long t = System.nanoTime();
        String name = "evoprune-it-wrong-secret";
        SparkConf conf = clusterConf("wrong-secret", StandaloneCluster.freePort())
                .setAppName(name)
                .set("spark.ui.enabled", "false")
                .set("spark.eventLog.enabled", "false")
                .set("spark.authenticate.secret", "not-" + SECRET);
        RunFailedException failed = assertTimeoutPreemptively(Duration.ofMinutes(4),
                () -> assertThrows(RunFailedException.class, () -> search("wrong-secret", conf, Map.of())));
        assertTrue(failed.getMessage().contains("The standalone Master at " + cluster.masterUrl()
                + " did not register the application"), failed.getMessage());
        JsonNode master = cluster.masterState();
        List<String> apps = new ArrayList<>();
        for (String list : List.of("activeapps", "completedapps")) {
            master.path(list).forEach(a -> apps.add(a.path("name").asText()));
        }
        assertTrue(apps.contains("evoprune-it-cluster"), "the authenticated runs are listed: " + apps);
        assertTrue(!apps.contains(name), "an application with the wrong secret registered: " + apps);
        log("driver with the wrong secret refused, run failed in %.1f s", seconds(t));
    }

    /**
     * Runs the shaded application jar through Spark's own submit class, as {@code spark-submit} does, in client
     * mode against the standalone master: this JVM is the driver.
     */
    private Process submit(String name, List<String> appArgs) throws IOException {
        List<String> command = new ArrayList<>(List.of(StandaloneCluster.java(), "-Xmx2g"));
        command.addAll(cluster.jvmOptions());
        command.add(JAVACPP_CACHE);
        command.add("-Dlog4j2.configurationFile=" + ROOT.resolve("conf/log4j2.properties"));
        command.addAll(List.of("-cp", cluster.sparkHome().resolve("jars").toAbsolutePath() + "/*",
                "org.apache.spark.deploy.SparkSubmit",
                "--master", cluster.masterUrl(), "--deploy-mode", "client",
                "--class", "io.evoprune.cli.Main", "--name", "evoprune-" + name,
                "--executor-memory", "1g", "--total-executor-cores", "2",
                "--conf", "spark.executor.cores=1",
                "--conf", "spark.driver.host=" + StandaloneCluster.HOST,
                "--conf", "spark.driver.bindAddress=" + StandaloneCluster.HOST,
                "--conf", "spark.ui.enabled=false",
                "--conf", "spark.scheduler.minRegisteredResourcesRatio=1.0",
                "--conf", "spark.authenticate=true",
                "--conf", "spark.authenticate.secret=" + SECRET,
                "--conf", "spark.local.dir=" + dir.resolve("local"),
                "--conf", "spark.executor.extraJavaOptions=-Djava.io.tmpdir=" + dir.resolve("tmp") + " "
                        + JAVACPP_CACHE + " " + cluster.marker(),
                APP_JAR.toString()));
        command.addAll(appArgs);
        return cluster.launch(name, command, Map.of());
    }

    private static boolean listed(String api, String app) {
        try {
            for (JsonNode a : StandaloneCluster.getJson(api)) {
                if (a.path("id").asText().equals(app)) {
                    JsonNode attempts = a.path("attempts");
                    return attempts.size() > 0 && attempts.get(0).path("completed").asBoolean();
                }
            }
            return false;
        } catch (IOException e) {
            return false; // not listening yet
        }
    }

    /** Waits for the driver UI to answer and returns the application's id. */
    private static String awaitApplication(String ui, CompletableFuture<Path> run) throws InterruptedException {
        String[] id = new String[1];
        StandaloneCluster.await("the driver UI at " + ui, Duration.ofMinutes(2), () -> {
            failIfDone(run);
            try {
                JsonNode apps = StandaloneCluster.getJson(ui);
                if (apps.size() > 0) {
                    id[0] = apps.get(0).path("id").asText();
                    return true;
                }
            } catch (IOException e) {
                return false; // not listening yet
            }
            return false;
        });
        return id[0];
    }

    /** Waits until a generation's job has finished and returns what the UI says about it. */
    private static JsonNode awaitJob(String app, String group, CompletableFuture<Path> run)
            throws InterruptedException {
        JsonNode[] job = new JsonNode[1];
        StandaloneCluster.await("job group " + group + " to finish", Duration.ofMinutes(4), () -> {
            failIfDone(run);
            try {
                job[0] = findJob(app, group);
            } catch (IOException e) {
                throw new AssertionError("The driver UI stopped answering", e);
            }
            return job[0] != null && !"RUNNING".equals(job[0].path("status").asText());
        });
        return job[0];
    }

    private static JsonNode findJob(String app, String group) throws IOException {
        for (JsonNode job : StandaloneCluster.getJson(app + "/jobs")) {
            if (group.equals(job.path("jobGroup").asText())) {
                return job;
            }
        }
        return null;
    }

    /** A run that ended while we still wait on its UI ended too early: surface its error. */
    private static void failIfDone(CompletableFuture<Path> run) {
        if (run.isDone()) {
            run.join();
            throw new AssertionError("The search finished before the UI showed what the test waits for");
        }
    }

    /**
     * A console that holds the driver's thread at the first line starting with {@code prefix} (the progress line
     * printed after a generation, before the next one starts) until {@link #resume} is counted down.
     */
    private static final class PausedAfter extends ByteArrayOutputStream {
        final java.util.concurrent.CountDownLatch reached = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CountDownLatch resume = new java.util.concurrent.CountDownLatch(1);
        private final String prefix;
        private int lineStart;

        PausedAfter(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            super.write(b, off, len);
            for (int i = lineStart; i < count; i++) {
                if (buf[i] == '\n') {
                    String line = new String(buf, lineStart, i - lineStart, StandardCharsets.UTF_8);
                    lineStart = i + 1;
                    if (line.startsWith(prefix) && reached.getCount() > 0) {
                        reached.countDown();
                        try {
                            resume.await(4, TimeUnit.MINUTES); // bounded: a failed test must not hang the build
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }
            }
        }
    }

    private Path searchUnchecked(String name, SparkConf spark, Map<String, String> overrides) {
        try {
            return search(name, spark, overrides);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    static void log(String format, Object... args) {
        System.out.printf("[cluster-it] " + format + "%n", args);
    }

    static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(p);
            }
        }
    }
}
