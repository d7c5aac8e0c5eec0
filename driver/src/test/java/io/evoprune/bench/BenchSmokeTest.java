package io.evoprune.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The benchmark suite's smoke mode (the local items on the shipped subset, a few batches each): every item runs and
 * reports figures that are consistent with each other. The numbers themselves are not checked: they are timings.
 */
@Tag("integration")
class BenchSmokeTest {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    @Test
    void everyLocalItemRunsAndReportsConsistentFigures() throws Exception {
        Path work = Path.of(System.getProperty("user.dir"), "target", "bench-smoke");
        Path record = Files.createDirectories(work).resolve("benchmarks.md");
        Files.writeString(record, "# Benchmarks\n");
        BenchOptions options = new BenchOptions(ROOT.resolve("conf/reference-workload.properties"),
                ROOT.resolve("data/fashion-mnist-small").toString(), true,
                BenchOptions.Item.parse("throughput,limit,overhead,growth,tuning,device"), work, record, "smoke test");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8)) {
            new BenchSuite(options, out).run();
        }
        JsonNode r = new ObjectMapper().readTree(work.resolve("results.json").toFile());

        JsonNode t = r.get("throughput");
        assertEquals(4, t.get("population").asInt());
        assertTrue(t.get("evaluations").asInt() >= 4, t.toString());
        assertEquals(t.get("evaluations").asDouble() / t.get("searchSeconds").asDouble(),
                t.get("evaluationsPerSecond").asDouble(), 1e-9);
        assertTrue(t.get("bestTestAccuracy").asDouble() > 0.3, t.toString());
        assertEquals("rebuilt", t.get("fineTuneNetwork").asText(), "the default evaluation form for neuron masks");

        // Counted FLOPs below the machine's measured gemm peak: a rate above it would mean a miscount.
        JsonNode l = r.get("limit");
        double fraction = l.get("fractionOfPeak").asDouble();
        assertTrue(fraction > 0 && fraction < 1, l.toString());
        assertEquals(l.get("searchFlopsPerSecond").asDouble() / l.get("gemmPeakConcurrent").asDouble(), fraction, 1e-9);

        JsonNode o = r.get("overhead");
        assertTrue(o.get("sameScores").asBoolean(), "the loop and Spark score the same masks alike: " + o);

        assertEquals(2, r.get("growth").size());
        assertEquals(4, r.get("growth").get(1).get("population").asInt());

        JsonNode variants = r.get("tuning").get("variants");
        JsonNode first = variants.get(0);
        JsonNode again = variants.get(variants.size() - 1);
        assertEquals(first.get("meanValidationAccuracy").asDouble(), again.get("meanValidationAccuracy").asDouble(),
                "the same setting scores the same masks alike");
        for (JsonNode v : variants) {
            assertEquals(first.get("meanValidationAccuracy").asDouble(), v.get("meanValidationAccuracy").asDouble(),
                    0.02, "every variant does the same work: " + v);
        }
        assertEquals(400, r.get("tuning").get("maskBits").asInt());
        assertTrue(r.get("tuning").get("scoringMillis").asDouble() > 0, "the validation scoring is timed");

        JsonNode d = r.get("device");
        assertEquals("CPU", d.get("backend").asText(), "the default build evaluates on the CPU backend");
        JsonNode levels = d.get("levels");
        assertEquals(2, levels.size());
        for (JsonNode level : levels) {
            assertEquals(levels.get(0).get("meanValidationAccuracy").asDouble(),
                    level.get("meanValidationAccuracy").asDouble(), "evaluations at once score alike: " + level);
            assertEquals(d.get("evaluations").asDouble() / level.get("seconds").asDouble(),
                    level.get("evaluationsPerSecond").asDouble(), 1e-9);
        }

        String summary = Files.readString(work.resolve("summary.md"));
        for (String item : new String[] {"| 1. throughput", "| 2. time to quality", "| 3. closeness to the limit",
                "| 4. Spark's overhead", "| 6. cost growth", "| rebuilt (physically smaller)",
            "Device: the same 2 candidates"}) {
            assertTrue(summary.contains(item), item + " missing from\n" + summary);
        }
        assertEquals("# Benchmarks\n\n" + summary, Files.readString(record), "--record appends the summary");
        assertTrue(((Map<?, ?>) new ObjectMapper().readValue(work.resolve("results.json").toFile(), Map.class))
                .containsKey("machine"));
    }
}
