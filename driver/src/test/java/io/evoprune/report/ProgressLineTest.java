package io.evoprune.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.search.GenerationStats;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The progress line's estimate of the time left comes from the generations this session bred. */
class ProgressLineTest {
    private static GenerationStats generation(int g, double seconds) {
        return new GenerationStats(g, 0.8, 0.7, 0.6, 0.85, 0.5, 16, 0, 0, seconds);
    }

    @Test
    void etaIsTheMeanBredGenerationTimesTheGenerationsLeft() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine line = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), 10);
        line.print(generation(0, 30));
        line.print(generation(1, 10));
        line.print(generation(2, 20));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("gen 0/10 ") && out.contains("ETA 5:00"), out); // generation 0's 30 s for each of 10
        assertTrue(out.contains("gen 2/10 ") && out.lines().toList().get(2).endsWith("ETA 2:00"), out); // 15 s x 8
    }

    @Test
    void aResumedRunEstimatesFromItsOwnGenerations() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine line = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), 10);
        line.print(generation(6, 12)); // resumed after generation 5
        line.print(generation(7, 8));
        String last = bytes.toString(StandardCharsets.UTF_8).lines().toList().get(1);
        assertTrue(last.endsWith("ETA 0:30"), last); // 10 s a generation, 3 left (it was 20 s / 7 = 0:09)
    }

    @Test
    void aRegressionRunHasNoAccuracyField() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine line = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), 1);
        line.print(generation(0, 1));
        line.print(new GenerationStats(1, 0.61, 0.56, 0.4, Double.NaN, 0.5, 16, 0, 0, 1));
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertTrue(lines.get(0).contains("  mean 0.7000  acc 0.8500  kept 0.500  "), lines.get(0));
        assertTrue(lines.get(1).contains("  mean 0.5600  kept 0.500  "), lines.get(1));
    }

    @Test
    void theLineCountsFailedEvaluationsAndShowsTheFitnessSizeMeasure() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine line = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), 4, "flops");
        line.print(new GenerationStats(0, 0.8, 0.7, 0.6, 0.85, 0.5, 0.25, 16, 0, 2, 1));
        line.print(new GenerationStats(1, 0.8, 0.7, 0.6, 0.85, 0.5, 0.25, 16, 3, 0, 1));
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertTrue(lines.get(0).contains("  kept 0.500  flops 0.250  16 evals (0 cached, 2 failed)  "), lines.get(0));
        assertTrue(lines.get(1).contains("  16 evals (3 cached)  "), lines.get(1));
    }
}
