package io.evoprune.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.farm.EvaluationCounters;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Spark's GPU scheduling end to end on a loopback cluster, without a GPU: a Worker announces two GPUs found by
 * the real conf/gpu-discovery.sh (over a stand-in nvidia-smi), the application asks for one GPU per executor and
 * half a GPU per task. Each evaluation task must get its executor's GPU address through TaskContext, two tasks
 * must share each GPU at once and never more, and the CPU build must run them on the CPU, say so in each
 * executor's log and in the Spark UI's counts, and find what the same search finds on local[2].
 */
@Tag("cluster")
class GpuSchedulingIT {
    static final Path DRIVER = Path.of(System.getProperty("user.dir"));
    static final Path ROOT = DRIVER.getParent();
    private static final Pattern ASSIGNED = Pattern.compile("task was assigned GPU (\\d+) but ND4J loaded its CPU");

    @Test
    void tasksShareTheirExecutorsGpuTwoAtATimeAndTheCpuBuildRunsThemOnTheCpu() throws Exception {
        Path dir = DRIVER.resolve("target/gpu-it");
        if (Files.exists(dir)) {
            StandaloneClusterIT.deleteTree(dir);
        }
        Path bin = Files.createDirectories(dir.resolve("stand-in-bin"));
        Path smi = bin.resolve("nvidia-smi");
        Files.writeString(smi, "#!/bin/sh\nprintf '0\\n1\\n'\n");
        assertTrue(smi.toFile().setExecutable(true));

        Path run;
        RunOutputs reference;
        Path tasks = dir.resolve("tasks.log");
        Map<String, String> workerGpus = Map.of("spark.worker.resource.gpu.amount", "2",
                "spark.worker.resource.gpu.discoveryScript", ROOT.resolve("conf/gpu-discovery.sh").toString());
        // The Worker runs the discovery script; its environment must not restrict the stand-in's devices.
        Map<String, String> workerEnv = Map.of("PATH", bin + ":" + System.getenv("PATH"),
                "CUDA_VISIBLE_DEVICES", "all");
        try (StandaloneCluster cluster = StandaloneCluster.start(DRIVER.resolve("target/spark-home"), dir, 1, 8,
                workerGpus, workerEnv)) {
            Path local = search(dir, "reference", new SparkConf().setMaster("local[2]")
                    .set("spark.ui.enabled", "false").set("spark.local.dir", dir.resolve("local").toString()), null);
            reference = RunOutputs.read(local);
            Path baseModel = local.resolve("base-model.zip");
            // Two executors of four cores, each holding one GPU: half a GPU per task lets two tasks run at once.
            SparkConf conf = cluster.applicationConf("evoprune-gpu-it", DRIVER.resolve("target/evoprune.jar"), 8,
                            StandaloneClusterIT.JAVACPP_CACHE_DIR.toString())
                    .set("spark.executor.cores", "4")
                    .set("spark.executor.resource.gpu.amount", "1")
                    .set("spark.task.resource.gpu.amount", "0.5")
                    .set("spark.ui.enabled", "false")
                    .set("spark.extraListeners", TaskLog.class.getName())
                    .set(TaskLog.FILE, tasks.toString());
            run = search(dir, "gpus", conf, baseModel);
        }

        assertEquals(reference, RunOutputs.read(run), "the GPU-scheduled search found what local[2] found");

        Map<String, List<long[]>> spans = new HashMap<>();
        Map<String, Long> accumulators = new HashMap<>();
        for (String line : Files.readAllLines(tasks)) {
            String[] f = line.split(" ", 2);
            if (f[0].equals("task")) {
                String[] t = f[1].split(" ");
                spans.computeIfAbsent(t[0], e -> new ArrayList<>())
                        .add(new long[] {Long.parseLong(t[1]), Long.parseLong(t[2])});
            } else {
                int eq = f[1].lastIndexOf('=');
                accumulators.merge(f[1].substring(0, eq), Long.parseLong(f[1].substring(eq + 1)), Math::max);
            }
        }
        assertEquals(2, spans.size(), "tasks ran on two executors: " + spans.keySet());
        for (Map.Entry<String, List<long[]>> e : spans.entrySet()) {
            assertEquals(2, mostAtOnce(e.getValue()), "tasks at once on executor " + e.getKey()
                    + " (4 cores, 1 GPU, 0.5 GPU per task)");
        }

        long evaluations = accumulators.getOrDefault(EvaluationCounters.EVALUATIONS, 0L);
        assertEquals(reference.evaluations(), evaluations, accumulators.toString());
        assertEquals(evaluations, accumulators.getOrDefault(EvaluationCounters.GPU_ASSIGNED, 0L),
                "every evaluation task was given a GPU: " + accumulators);
        assertEquals(0L, accumulators.getOrDefault(EvaluationCounters.ON_GPU, 0L), "the CPU build ran none on a GPU");

        // Each executor got its own GPU, and said once that the CPU build leaves it unused.
        Set<String> addresses = new TreeSet<>();
        try (Stream<Path> files = Files.walk(dir.resolve("worker-0"))) {
            for (Path stderr : files.filter(p -> p.getFileName().toString().equals("stderr")).toList()) {
                Matcher m = ASSIGNED.matcher(Files.readString(stderr));
                assertTrue(m.find(), stderr + " does not say which GPU it was given");
                addresses.add(m.group(1));
                assertTrue(!m.find(), stderr + " says it more than once");
            }
        }
        assertEquals(Set.of("0", "1"), addresses, "GPU addresses the executors were given");

        String evaluatedOn = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                run.resolve("summary.json").toFile()).path("search").path("evaluatedOn").asText();
        assertTrue(evaluatedOn.startsWith("CPU (Spark assigned a GPU to " + evaluations + " of " + evaluations),
                "summary.json says where the evaluations ran, and that the GPUs went unused: " + evaluatedOn);
    }

    /** The largest number of intervals that overlap at one instant. */
    static int mostAtOnce(List<long[]> spans) {
        List<long[]> events = new ArrayList<>();
        for (long[] s : spans) {
            events.add(new long[] {s[0], 1});
            events.add(new long[] {s[1], -1});
        }
        // A task ending at the instant another starts did not run beside it.
        events.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int now = 0;
        int most = 0;
        for (long[] e : events) {
            now += (int) e[1];
            most = Math.max(most, now);
        }
        return most;
    }

    private static Path search(Path dir, String name, SparkConf spark, Path baseModel) throws IOException {
        Map<String, String> settings = StandaloneClusterIT.searchSettings(dir, name, baseModel);
        settings.put("search.population", "8");
        return StandaloneClusterIT.search(dir, name, settings, spark, new ByteArrayOutputStream());
    }
}
