package io.evoprune.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.evoprune.cli.Main;
import io.evoprune.config.RunConfig;
import io.evoprune.config.Settings;
import io.evoprune.mask.Mask;
import io.evoprune.report.RunDirectory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Whole runs on Spark local[2] with the shipped data, a real pretrained base and real fine-tuning. */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PruningJobTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path runs;
    private Path first;
    private String console;

    private Map<String, String> tiny(String name, int partitions) {
        Map<String, String> s = new HashMap<>(Map.of("data.path", "../data/fashion-mnist-small"));
        s.putAll(Map.of("data.finetune.size", "1000", "data.validation.size", "500", "data.test.size", "500",
                "model.pretrain.epochs", "1", "search.population", "4", "search.generations", "2",
                "finetune.max-batches", "4", "evaluation.partitions", Integer.toString(partitions),
                "output.dir", runs.toString(), "output.run-name", name));
        return s;
    }

    private Path run(Map<String, String> overrides, StringBuilder out) throws Exception {
        return run(overrides, out, TinyRuns.localSpark(null));
    }

    private Path run(Map<String, String> overrides, StringBuilder out, SparkConf spark) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RunConfig config = RunConfig.from(Settings.defaults().with(overrides, "test"));
        Path dir;
        try (PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            dir = Path.of(new PruningJob(config, ps).run(spark).toUri().getPath());
        }
        out.append(bytes.toString(StandardCharsets.UTF_8));
        return dir;
    }

    @BeforeAll
    void pretrainAndSearchOnce() throws Exception {
        StringBuilder out = new StringBuilder();
        first = run(tiny("one-partition", 1), out);
        console = out.toString();
    }

    @Test
    void aRunWritesEveryOutputAndMarksItselfComplete() throws Exception {
        for (String file : List.of("config.properties", "generations.jsonl", "best-mask.json", "summary.json",
                "base-model.zip", "pruned-model.zip", RunDirectory.SUCCESS)) {
            assertTrue(Files.exists(first.resolve(file)), file);
        }
        assertFalse(Files.exists(first.resolve(RunDirectory.RUNNING)));
        try (var files = Files.walk(first)) { // Hadoop's local checksum layer would leave a .name.crc beside each file
            assertEquals(List.of(), files.map(Path::toString).filter(f -> f.endsWith(".crc")).toList());
        }

        List<String> generations = Files.readAllLines(first.resolve("generations.jsonl"));
        assertEquals(3, generations.size(), "generation 0 plus two bred generations");
        JsonNode g0 = JSON.readTree(generations.get(0));
        assertEquals(0, g0.get("generation").asInt());
        assertEquals(4, g0.get("evaluations").asInt());

        JsonNode mask = JSON.readTree(first.resolve("best-mask.json").toFile());
        Mask best = Mask.parse(mask.get("bits").asText());
        assertEquals(400, best.length());
        assertEquals(300, mask.get("layers").get(0).get("units").asInt());
        assertEquals(best.keptCount(), mask.get("layers").get(0).get("kept").asInt() + mask.get("layers").get(1).get("kept").asInt());

        JsonNode summary = JSON.readTree(first.resolve("summary.json").toFile());
        assertEquals(266_610, summary.get("base").get("parameters").asLong());
        assertTrue(summary.get("pruned").get("parameters").asLong() < 266_610);
        assertTrue(summary.get("pruned").get("test").get("accuracy").asDouble() > 0.5, summary.toString());
        // The paired test: the same accuracies, and the difference is made of the examples only one gets right.
        JsonNode paired = summary.get("testComparison");
        assertEquals("McNemar exact", paired.get("test").asText());
        assertEquals(summary.get("base").get("test").get("accuracy").asDouble(), paired.get("base").asDouble(), 1e-12);
        assertEquals(summary.get("pruned").get("test").get("accuracy").asDouble(), paired.get("pruned").asDouble(), 1e-12);
        assertEquals(summary.get("pruned").get("test").get("accuracy").asDouble()
                - summary.get("base").get("test").get("accuracy").asDouble(), paired.get("difference").asDouble(), 1e-12);
        assertTrue(paired.get("lower").asDouble() <= paired.get("difference").asDouble()
                && paired.get("difference").asDouble() <= paired.get("upper").asDouble(), paired.toString());
        // The delivered model: rebuilt-model.zip after recovery, against the base and against the dense control (the
        // base with the same fine-tuning and recovery), whose accuracy differs from the base's because it trained.
        JsonNode exported = summary.get("exported");
        assertEquals("rebuilt-model.zip", exported.get("file").asText());
        double exportedTest = exported.get("network").get("test").get("accuracy").asDouble();
        double controlTest = exported.get("control").get("test").get("accuracy").asDouble();
        assertEquals(266_610, exported.get("control").get("parameters").asLong());
        assertEquals(exportedTest, exported.get("againstBase").get("pruned").asDouble(), 1e-12);
        assertEquals(summary.get("base").get("test").get("accuracy").asDouble(),
                exported.get("againstBase").get("base").asDouble(), 1e-12);
        assertEquals(exportedTest, exported.get("againstControl").get("pruned").asDouble(), 1e-12);
        assertEquals(controlTest, exported.get("againstControl").get("base").asDouble(), 1e-12);
        assertNotEquals(summary.get("base").get("test").get("accuracy").asDouble(), controlTest, "the control trained");
        JsonNode recovery = JSON.readTree(first.resolve("rebuild.json").toFile()).get("recovery");
        assertEquals(recovery.get("testAfter").get("accuracy").asDouble(), exportedTest, 1e-12,
                "the exported model is the recovered one");
        assertTrue(console.contains("evoprune: rebuilt-model.zip against the dense control, test, paired: accuracy"
                + " pruned - control "), console);
        assertTrue(console.contains("evoprune: rebuilt-model.zip against the base, test, paired: accuracy pruned"
                + " - base "), console);
        assertTrue(Files.readString(first.resolve("report.html")).contains("Pruned against base, example by example"));
        assertTrue(Files.readString(first.resolve("config.properties")).contains("search.population=4"));

        // The pruned model is an ordinary DL4J file whose pruned units are exactly zero.
        MultiLayerNetwork pruned = ModelSerializer.restoreMultiLayerNetwork(first.resolve("pruned-model.zip").toFile());
        for (int u = 0; u < 300; u++) {
            double incoming = pruned.getLayer(0).getParam("W").getColumn(u).amaxNumber().doubleValue();
            assertEquals(!best.isKept(u), incoming == 0.0, "unit " + u);
        }

        assertTrue(console.contains("gen 2/2"), console);
        assertTrue(console.contains("evoprune: outputs in"), console);
    }

    @Test
    void evaluateOfTheRunScoresTheExportedFileAsTheSummaryReportsIt() throws Exception {
        // What lies on disk (the exported file with its bundled normaliser, the run's test split) is what was reported.
        PrintStream stdout = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            code = Main.execute("evaluate", "--run", first.toString());
        } finally {
            System.setOut(stdout);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, out);
        JsonNode summary = JSON.readTree(first.resolve("summary.json").toFile());
        String exported = String.format(Locale.ROOT, "  accuracy                   %.4f%n",
                summary.get("exported").get("network").get("test").get("accuracy").asDouble());
        String base = String.format(Locale.ROOT, "  accuracy                   %.4f%n",
                summary.get("base").get("test").get("accuracy").asDouble());
        int model = out.indexOf("rebuilt-model.zip on the test part");
        int baseAt = out.indexOf("evoprune: base ");
        assertTrue(model >= 0 && baseAt > model, out);
        int exportedAt = out.indexOf(exported, model);
        assertTrue(exportedAt > model && exportedAt < baseAt, "exported " + exported + out);
        assertTrue(out.indexOf(base, baseAt) > baseAt, "base " + base + out);
    }

    @Test
    void theResultDoesNotDependOnPartitioningAndTheSparkUiNamesAnUnnamedRun() throws Exception {
        // Unnamed (a timestamped run directory), with Spark's event log: what the History Server shows.
        Map<String, String> three = tiny("", 3);
        three.put("model.path", first.resolve("base-model.zip").toString());
        Path events = Files.createDirectories(runs.resolve("events"));
        Path other = run(three, new StringBuilder(), TinyRuns.localSpark(null).set("spark.eventLog.enabled", "true")
                .set("spark.eventLog.dir", events.toUri().toString()).set("spark.eventLog.compress", "false"));
        assertTrue(other.getFileName().toString().matches("run-\\d{8}-\\d{6}"), other.toString());
        try (java.util.stream.Stream<Path> logs = Files.walk(events)) { // Spark 4 rolls it: a folder of files
            StringBuilder log = new StringBuilder();
            for (Path f : logs.filter(Files::isRegularFile).toList()) {
                log.append(Files.readString(f));
            }
            assertTrue(log.toString().contains("\"spark.evoprune.output.run-name\":\"" + other.getFileName() + "\""),
                    "the resolved run name in the Environment page");
        }
        assertEquals(withoutTimings(first), withoutTimings(other));
        assertEquals(JSON.readTree(first.resolve("best-mask.json").toFile()), JSON.readTree(other.resolve("best-mask.json").toFile()));
        JsonNode a = JSON.readTree(first.resolve("summary.json").toFile());
        JsonNode b = JSON.readTree(other.resolve("summary.json").toFile());
        assertEquals(a.get("pruned"), b.get("pruned"));
        assertEquals(a.get("exported"), b.get("exported"), "the delivered model and its control, too");
    }

    @Test
    void anExistingRunIsNeverOverwritten() throws Exception {
        byte[] before = Files.readAllBytes(first.resolve("summary.json"));
        Map<String, String> again = tiny("one-partition", 1);
        again.put("model.path", first.resolve("base-model.zip").toString());
        BadInputException e = assertThrows(BadInputException.class, () -> run(again, new StringBuilder()));
        assertTrue(e.getMessage().contains("one-partition") && e.getMessage().contains("already exists"), e.getMessage());
        assertEquals(new String(before, StandardCharsets.UTF_8),
                new String(Files.readAllBytes(first.resolve("summary.json")), StandardCharsets.UTF_8));
    }

    private static List<String> withoutTimings(Path run) throws Exception {
        return Files.readAllLines(run.resolve("generations.jsonl")).stream().map(line -> {
            try {
                var node = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(line);
                node.remove("seconds");
                return node.toString();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }
}
