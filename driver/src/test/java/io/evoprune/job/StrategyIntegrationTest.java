package io.evoprune.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.evoprune.baseline.Baselines;
import io.evoprune.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * NSGA-II with seeding and racing, then the baseline command against its mask: real Spark local[2], real DL4J
 * training on the shipped Fashion-MNIST subset, with tiny budgets.
 */
@Tag("integration")
class StrategyIntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private String uiBefore;

    /** No Spark UI for these runs; restored after, as later tests in this JVM read the same properties. */
    @BeforeEach
    void noUi() {
        uiBefore = System.setProperty("spark.ui.enabled", "false");
    }

    @AfterEach
    void restoreUi() {
        if (uiBefore == null) {
            System.clearProperty("spark.ui.enabled");
        } else {
            System.setProperty("spark.ui.enabled", uiBefore);
        }
    }

    @Test
    void nsga2WritesAParetoFrontAndBaselinesCompareAgainstItsMask() throws Exception {
        Path out = Path.of("target", "strategy-it-" + System.nanoTime());
        String[] tiny = {"--set", "data.path=../data/fashion-mnist-small", "--set", "data.finetune.size=1000",
                "--set", "data.validation.size=500", "--set", "data.test.size=500", "--set", "model.pretrain.epochs=1",
                "--set", "finetune.max-batches=4", "--set", "init.importance-examples=128",
                "--set", "output.dir=" + out};
        int code = Main.execute(concat(new String[] {"run", "--master", "local[2]", "--set", "search.strategy=nsga2",
                "--set", "search.population=4", "--set", "search.generations=1", "--set", "init.importance-fraction=0.5",
                "--set", "racing.short-batches=2", "--set", "output.run-name=nsga2"}, tiny));
        assertEquals(Main.OK, code);
        Path run = out.resolve("nsga2");
        JsonNode front = JSON.readTree(run.resolve("pareto.json").toFile());
        assertTrue(front.size() >= 1);
        int chosen = 0;
        for (JsonNode a : front) {
            chosen += a.get("chosen").asBoolean() ? 1 : 0;
            assertEquals(2, a.get("keptPerLayer").size());
            assertTrue(a.get("flops").asLong() > 0);
            assertTrue(a.has("fullFineTune"));
            for (JsonNode b : front) {
                boolean dominated = b.get("accuracy").asDouble() >= a.get("accuracy").asDouble()
                        && b.get("parametersKept").asLong() <= a.get("parametersKept").asLong()
                        && (b.get("accuracy").asDouble() > a.get("accuracy").asDouble()
                        || b.get("parametersKept").asLong() < a.get("parametersKept").asLong());
                assertFalse(dominated, "pareto.json holds a dominated point");
            }
        }
        assertEquals(1, chosen);
        JsonNode racing = JSON.readTree(run.resolve("racing.json").toFile());
        assertEquals(8, racing.get("candidates").asInt(), "4 masks in each of 2 generations");
        assertEquals(4, racing.get("promoted").asInt());

        code = Main.execute(concat(new String[] {"baseline", "--mask", run.resolve("best-mask.json").toString(),
                "--set", "model.path=" + run.resolve("base-model.zip"), "--set", "output.run-name=baselines",
                "--set", "baseline.methods=magnitude-layer,threshold,taylor,greedy-layer,iterative,gradual-l1"}, tiny));
        assertEquals(Main.OK, code);
        JsonNode rows = JSON.readTree(out.resolve("baselines").resolve("baselines.json").toFile());
        assertEquals(8, rows.size(), "the search's mask, the dense row and six baselines");
        assertEquals(Baselines.DENSE, rows.get(1).get("method").asText());
        assertEquals(1.0, rows.get(1).get("keptFraction").asDouble(), "nothing pruned");
        double kept = JSON.readTree(run.resolve("best-mask.json").toFile()).get("keptFraction").asDouble();
        double searchTest = rows.get(0).get("testAccuracy").asDouble();
        assertTrue(rows.get(0).path("testAgainstSearch").isNull(), "the search's own row has no comparison");
        for (JsonNode row : rows) {
            assertTrue(row.get("testAccuracy").asDouble() > 0.1, row.toString());
            if (row != rows.get(0)) { // every pruner is tested against the search's network, on the same examples
                JsonNode vs = row.get("testAgainstSearch");
                assertEquals(searchTest, vs.get("base").asDouble(), 1e-12, row.toString());
                assertEquals(row.get("testAccuracy").asDouble(), vs.get("pruned").asDouble(), 1e-12, row.toString());
                assertTrue(vs.get("pValue").asDouble() > 0 && vs.get("pValue").asDouble() <= 1, row.toString());
            }
            if (!row.get("method").asText().equals("threshold") && row != rows.get(1)) {
                assertEquals(kept, row.get("keptFraction").asDouble(), 0.01, row.toString());
            }
        }
        String table = Files.readString(out.resolve("baselines").resolve("baselines.md"));
        assertTrue(table.startsWith("# Search against the classic pruners") && table.contains("| gradual-l1 |")
                && table.contains("| test acc | test acc vs search (McNemar p) | seconds |")
                && table.contains("validation accuracy reads high"), table);
    }

    @Test
    void weightMasksAreSeededFromWeightCriteriaAndComparedWithWeightPruners() throws Exception {
        Path out = Path.of("target", "strategy-weights-" + System.nanoTime());
        int code = Main.execute("run", "--master", "local[2]", "--set", "data.path=../data/fashion-mnist-small",
                "--set", "data.finetune.size=1000", "--set", "data.validation.size=500", "--set", "data.test.size=500",
                "--set", "model.pretrain.epochs=1", "--set", "finetune.max-batches=4", "--set", "mask.granularity=weight",
                "--set", "search.population=4", "--set", "search.generations=1", "--set", "search.init-keep-probability=0.2",
                "--set", "fitness.target-kept-fraction=0.2", "--set", "init.importance-fraction=0.5",
                "--set", "init.importance-criteria=magnitude,taylor,random", "--set", "init.importance-examples=128",
                "--set", "baseline.report=true", "--set", "baseline.methods=magnitude-layer,threshold,iterative",
                "--set", "rebuild.enabled=false", "--set", "output.dir=" + out, "--set", "output.run-name=weights");
        assertEquals(Main.OK, code);
        JsonNode rows = JSON.readTree(out.resolve("weights").resolve("baselines.json").toFile());
        assertEquals(5, rows.size(), "the search's mask, the dense row and three weight pruners");
        assertEquals(266_610, rows.get(1).get("parametersKept").asLong(), "the dense row keeps every weight");
        double kept = rows.get(0).get("keptFraction").asDouble();
        assertTrue(kept < 0.35, "the search's mask keeps about 20% of the weights: " + rows.get(0));
        for (JsonNode row : rows) {
            assertTrue(row.get("testAccuracy").asDouble() > 0.1, row.toString());
            if (row == rows.get(1)) {
                continue;
            }
            assertTrue(row.get("parametersKept").asLong() < 266_610 / 2, row.toString());
            if (!row.get("method").asText().equals("threshold")) {
                assertEquals(kept, row.get("keptFraction").asDouble(), 0.01, row.toString());
            }
        }
    }

    @Test
    void strategiesRefuseWhatTheyCannotDoBeforeAnythingRuns() throws Exception {
        Path out = Path.of("target", "strategy-refused-" + System.nanoTime());
        String[] tiny = {"--set", "data.path=../data/fashion-mnist-small", "--set", "data.finetune.size=200",
                "--set", "data.validation.size=100", "--set", "data.test.size=100", "--set", "output.dir=" + out};
        // The default criteria include unit ones (l1, activation, apoz): a weight-granularity run may not seed from them.
        assertEquals(Main.BAD_INPUT, Main.execute(concat(new String[] {"run", "--master", "local[1]",
                "--set", "mask.granularity=weight", "--set", "init.importance-fraction=0.5"}, tiny)));
        // An interrupted NSGA-II run (no _SUCCESS) cannot be resumed: it keeps no checkpoints.
        Path run = out.resolve("nsga2-stopped");
        Files.createDirectories(run);
        Files.writeString(run.resolve(io.evoprune.report.RunDirectory.RUNNING), "");
        Files.writeString(run.resolve("config.properties"), String.join("\n", "data.path=../data/fashion-mnist-small",
                "data.finetune.size=200", "data.validation.size=100", "data.test.size=100", "search.strategy=nsga2",
                "output.dir=" + out, "output.run-name=nsga2-stopped"));
        assertEquals(Main.BAD_INPUT, Main.execute("run", "--resume", run.toString()));
        assertFalse(Files.exists(run.resolve("generations.jsonl")), "nothing written for a refused resume");
        // A mask of other layers is refused before the built-in base is pretrained or a run directory made.
        Path mask = Files.writeString(out.resolve("other-mask.json"), "{\"granularity\": \"neuron\", \"units\": 4,"
                + " \"kept\": 2, \"keptFraction\": 0.5, \"layers\": [{\"name\": \"conv1\", \"layers\": [\"conv1\"],"
                + " \"units\": 4, \"kept\": 2, \"keptIndices\": [0, 1]}], \"bits\": \"1100\"}");
        assertEquals(Main.BAD_INPUT, Main.execute(concat(new String[] {"baseline", "--mask", mask.toString(),
                "--set", "output.run-name=baseline-refused"}, tiny)));
        assertFalse(Files.exists(out.resolve("baseline-refused")), "refused before a run directory");
    }

    private static String[] concat(String[] a, String[] b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }
}
