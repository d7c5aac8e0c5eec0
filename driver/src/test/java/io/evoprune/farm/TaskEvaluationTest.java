package io.evoprune.farm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.evaluation.Candidate;
import io.evoprune.evaluation.EvaluationResult;
import io.evoprune.mask.Mask;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A failed evaluation is a result with the mask's worst fitness, except one cut short because the JVM is shutting
 * down: that one is no fact about the mask, so it must not be cached or checkpointed as one.
 */
class TaskEvaluationTest {
    private static final EvaluationFunction THROWS = (workload, candidate) -> {
        throw new IllegalStateException("training stopped");
    };
    private static final Candidate CANDIDATE = new Candidate(0, Mask.of(4, u -> u != 2), 7);

    @Test
    void aFailureOnTheLastAttemptIsRecorded() {
        EvaluationResult r = TaskEvaluation.run(THROWS, null, CANDIDATE, 1);
        assertTrue(r.failed());
        assertEquals("failed on attempt 1 of 1: java.lang.IllegalStateException: training stopped", r.failure());
    }

    @Test
    void aFailureWhileTheJvmShutsDownIsRethrownNotRecorded() throws IOException, InterruptedException {
        // Only a JVM that is really shutting down says so: one of its own, evaluating from a shutdown hook.
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Hook.class.getName()).redirectErrorStream(true).start();
        assertTrue(jvm.waitFor(60, TimeUnit.SECONDS), "the JVM did not end");
        String printed = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(printed.contains("rethrown: training stopped"), printed);
    }

    /** Evaluates a failing candidate while its JVM shuts down, printing what became of the failure. */
    public static final class Hook {
        public static void main(String[] args) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    System.out.println("recorded: " + TaskEvaluation.run(THROWS, null, CANDIDATE, 1).failure());
                } catch (IllegalStateException e) {
                    System.out.println("rethrown: " + e.getMessage());
                }
            }));
        }
    }
}
