package io.evoprune.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.evoprune.config.RunConfig;
import io.evoprune.config.Settings;
import io.evoprune.evaluation.EvaluationResult;
import io.evoprune.evaluation.MaskEvaluator;
import io.evoprune.farm.EvaluationFunction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fault: evaluations that throw inside Spark tasks. The failures are real {@link OutOfMemoryError}s (an array
 * far larger than the heap) raised inside real Spark tasks of a {@code local[2,2]} master, which retries a
 * failed task once, exactly like {@code spark.task.maxFailures=2} on a cluster. Which evaluations fail is
 * chosen through {@link EvaluationFunction}, the farm's seam for this: no configuration key reaches it.
 */
@Tag("integration")
class TaskFailureTest {
    /** First attempts that failed and were retried (local mode: tasks run in this JVM, so a static counts them). */
    private static final AtomicInteger RETRIED = new AtomicInteger();
    /** Evaluations done; the second test's function breaks once generation 0's four are done. */
    private static final AtomicInteger EVALUATED = new AtomicInteger();

    @Test
    void failingEvaluationsAreRetriedThenRecordedAndTheRunGoesOn() throws Exception {
        Path out = TinyRuns.newFolder("task-failure");
        RETRIED.set(0);
        // In every generation's batch, candidate 0 always runs out of memory; candidate 1 only on its first try.
        EvaluationFunction function = (workload, candidate) -> {
            boolean firstAttempt = TaskContext.get().attemptNumber() == 0;
            if (candidate.index() == 0 || candidate.index() == 1 && firstAttempt) {
                if (candidate.index() == 1) {
                    RETRIED.incrementAndGet();
                }
                exhaustMemory();
            }
            return MaskEvaluator.evaluate(workload, candidate);
        };
        // One permanent failure in a batch of one (a generation whose other masks are cached) is a whole
        // generation failing; allow it, so this test is about retries and records (the next test is about the limit).
        job(out, "flaky", function, "evaluation.max-failed-fraction", "1").run(spark());
        Path run = out.resolve("flaky");

        assertTrue(Files.exists(run.resolve("_SUCCESS")));
        List<JsonNode> generations = TinyRuns.generationsWithoutTimings(run);
        assertEquals(3, generations.size());
        for (JsonNode g : generations) {
            assertEquals(g.get("evaluations").asInt() > 0 ? 1 : 0, g.get("failed").asInt(),
                    "one permanent failure per generation that evaluated anything: " + g);
        }
        assertTrue(RETRIED.get() >= 1, "candidate 1 failed once and was retried: " + RETRIED.get());
        int failures = generations.stream().mapToInt(g -> g.get("failed").asInt()).sum();
        String checkpoint = newestCheckpoint(run);
        assertEquals(failures, count(checkpoint, "\"failure\":\"failed on attempt 2 of 2: java.lang.OutOfMemoryError"),
                "each permanent failure is recorded with its error after Spark's two attempts");
        assertFalse(checkpoint.contains("failed on attempt 1 of 2"), "a retried evaluation that succeeded is no failure");
    }

    @Test
    void aSparkContextThatCannotStartLeavesAResumableRun() throws Exception {
        Path out = TinyRuns.newFolder("task-failure");
        TinyRuns.Outcome o;
        // A valid master whose context still cannot start: Spark refuses tasks wanting more cores than an executor
        // has. (new SparkConf() reads spark.* system properties, as under spark-submit.)
        System.setProperty("spark.task.cpus", "2");
        try {
            o = TinyRuns.execute(TinyRuns.args(TinyRuns.settings(out, "master", "search.generations", "1"),
                    "run", "--master", "local[1]"));
        } finally {
            System.clearProperty("spark.task.cpus");
        }
        assertEquals(1, o.exitCode(), o.err());
        assertTrue(o.err().contains("evoprune: failed: The search stopped: ") && o.err().contains("the number of cpus per task = 2")
                && o.err().contains("has no finished generation yet; once the cause is fixed, start it over with:"
                + " evoprune run --resume " + out.resolve("master")), o.err());
        assertFalse(o.err().contains("\tat "), "a message, not a stack trace: " + o.err());
        assertTrue(Files.exists(out.resolve("master/_RUNNING")) && Files.exists(out.resolve("master/base-model.zip")));
    }

    @Test
    void aGenerationThatMostlyFailsStopsTheRunWhichThenResumes() throws Exception {
        Path out = TinyRuns.newFolder("task-failure");
        EVALUATED.set(0);
        // Generation 0 (four evaluations) is healthy; from then on every evaluation runs out of memory.
        EvaluationFunction function = (workload, candidate) -> {
            if (EVALUATED.get() >= 4) {
                exhaustMemory();
            }
            EvaluationResult result = MaskEvaluator.evaluate(workload, candidate);
            EVALUATED.incrementAndGet();
            return result;
        };
        RunFailedException e = assertThrows(RunFailedException.class, () -> job(out, "sick", function).run(spark()));
        assertTrue(e.getMessage().matches("(?s)The search stopped: Generation 1: (\\d) of \\1 evaluations failed or "
                + "diverged, more than evaluation.max-failed-fraction = 0.5 allows( \\(of at least 4\\))?; first: failed on"
                + " attempt 2 of 2: "
                + "java.lang.OutOfMemoryError.*"), e.getMessage());
        Path run = out.resolve("sick");
        assertTrue(e.getMessage().contains("evoprune run --resume"), e.getMessage());
        assertTrue(Files.exists(run.resolve("_RUNNING")));
        assertTrue(Files.exists(run.resolve("checkpoint/generation-000000.ckpt")), "generation 0's checkpoint is kept");
        assertFalse(Files.exists(run.resolve("checkpoint/generation-000001.ckpt")), "the failed generation is not");

        // The cause gone (here: the real evaluator), the run resumes to the end through the command line.
        TinyRuns.Outcome resumed = TinyRuns.execute("run", "--resume", run.toString());
        assertEquals(0, resumed.exitCode(), resumed.err());
        List<JsonNode> generations = TinyRuns.generationsWithoutTimings(run);
        assertEquals(3, generations.size());
        generations.forEach(g -> assertEquals(0, g.get("failed").asInt(), g.toString()));
    }

    private static PruningJob job(Path out, String name, EvaluationFunction function, String... extra)
            throws Exception {
        Map<String, String> settings = TinyRuns.settings(out, name, "model.path", TinyRuns.baseModel().toString(),
                "search.generations", "2");
        for (int i = 0; i < extra.length; i += 2) {
            settings.put(extra[i], extra[i + 1]);
        }
        return new PruningJob(RunConfig.from(Settings.defaults().with(settings, "test")), System.out, function);
    }

    private static SparkConf spark() {
        return new SparkConf().setMaster("local[2,2]").set("spark.ui.enabled", "false");
    }

    /** A real OutOfMemoryError: the JVM cannot give a 16 GB array to a 3 GB heap. */
    private static void exhaustMemory() {
        long[] huge = new long[Integer.MAX_VALUE - 8];
        huge[huge.length - 1] = 1;
        throw new AssertionError("a 16 GB array fit in the heap: " + huge.length);
    }

    private static String newestCheckpoint(Path run) throws Exception {
        try (Stream<Path> files = Files.list(run.resolve("checkpoint"))) {
            return Files.readString(files.filter(p -> p.toString().endsWith(".ckpt")).sorted().reduce((a, b) -> b)
                    .orElseThrow());
        }
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
