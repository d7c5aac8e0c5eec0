package io.evoprune.job;

import org.nd4j.linalg.api.ndarray.INDArray;

import org.deeplearning4j.util.ModelSerializer;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.evoprune.config.RunConfig;
import io.evoprune.config.Settings;
import io.evoprune.mask.Mask;
import io.evoprune.mask.MaskApplier;
import io.evoprune.mask.MaskSettings;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.model.ModelFiles;
import io.evoprune.model.Network;
import io.evoprune.model.NetworkKind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Whole runs through PruningJob on Spark local[2] with the shipped data: a ComputationGraph with a branch at
 * {@code filter} granularity and an MLP at {@code weight} granularity; the saved pruned models must hold
 * every pruned parameter at exactly zero. Plus the early errors, which must leave no run directory.
 */
@Tag("integration")
class GranularityRunTest {
    private static final Path OUT = Path.of("target", "granularity-runs").toAbsolutePath();
    private static final String DATA = Path.of(System.getProperty("user.dir")).getParent()
            .resolve("data/fashion-mnist-small").toString();

    /** c0 is read by two convolutions whose outputs are merged, batch-normalised, pooled and flattened. */
    static Network branchGraph() {
        return Network.init(new NeuralNetConfiguration.Builder().seed(3).updater(new Adam(1e-3))
                .weightInit(WeightInit.XAVIER).convolutionMode(ConvolutionMode.Same)
                .graphBuilder()
                .addInputs("in")
                .addLayer("c0", new ConvolutionLayer.Builder(3, 3).stride(2, 2).nOut(6).activation(Activation.RELU).build(), "in")
                .addLayer("ca", new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build(), "c0")
                .addLayer("cb", new ConvolutionLayer.Builder(1, 1).nOut(4).activation(Activation.RELU).build(), "c0")
                .addVertex("merge", new MergeVertex(), "ca", "cb")
                .addLayer("bn", new BatchNormalization.Builder().build(), "merge")
                .addLayer("pool", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
                        .stride(2, 2).build(), "bn")
                .addLayer("fc", new DenseLayer.Builder().nOut(16).activation(Activation.RELU).build(), "pool")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build(), "fc")
                .setOutputs("out")
                .setInputTypes(InputType.convolutionalFlat(28, 28, 1))
                .build());
    }

    static Network mlp() {
        return mlp(0);
    }

    /** The MLP with dropout on fc2's input, {@code retain} its DL4J retain probability (0 = none). */
    static Network mlp(double retain) {
        DenseLayer.Builder fc2 = new DenseLayer.Builder().name("fc2").nOut(16).activation(Activation.RELU);
        return Network.init(new NeuralNetConfiguration.Builder().seed(3).updater(new Adam(1e-3))
                .weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().name("fc1").nIn(784).nOut(32).activation(Activation.RELU).build())
                .layer((retain > 0 ? fc2.dropOut(retain) : fc2).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(784))
                .build());
    }

    private static String save(Network net, String name) throws Exception {
        Files.createDirectories(OUT);
        Path file = OUT.resolve(name);
        ModelFiles.save(net, new org.apache.hadoop.fs.Path(file.toString()), new Configuration());
        return file.toString();
    }

    private static RunConfig config(String model, String runName, Map<String, String> extra) {
        Map<String, String> set = new LinkedHashMap<>();
        set.put("data.path", DATA);
        set.put("data.finetune.size", "256");
        set.put("data.validation.size", "256");
        set.put("data.test.size", "256");
        set.put("model.path", model);
        set.put("search.population", "4");
        set.put("search.generations", "1");
        set.put("search.elitism", "1");
        set.put("finetune.batch-size", "32");
        set.put("finetune.max-batches", "3");
        set.put("evaluation.threads", "1");
        set.put("output.dir", OUT.toString());
        set.put("output.run-name", runName);
        // The rebuild step's timing is measured for real elsewhere; here a few runs keep CI short.
        set.put("rebuild.measure.warmup", "1");
        set.put("rebuild.measure.repeats", "3");
        set.putAll(extra);
        return RunConfig.from(Settings.defaults().with(set, "test"));
    }

    private static Path run(RunConfig config) throws Exception {
        return run(config, new ByteArrayOutputStream());
    }

    private static Path run(RunConfig config, ByteArrayOutputStream console) throws Exception {
        SparkConf spark = TinyRuns.localSpark(OUT.resolve("spark"));
        deleteRecursively(OUT.resolve(config.runName()));
        org.apache.hadoop.fs.Path dir = new PruningJob(config, new PrintStream(console, true, StandardCharsets.UTF_8))
                .run(spark);
        return Path.of(dir.toUri().getPath());
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** Asserts that every parameter the run's best mask prunes is exactly zero in the saved pruned model. */
    private static Mask assertPrunedModelIsMasked(Path dir, MaskSettings settings, NetworkKind kind) throws Exception {
        JsonNode best = new ObjectMapper().readTree(dir.resolve("best-mask.json").toFile());
        Mask mask = Mask.parse(best.get("bits").asText());
        Network pruned = ModelFiles.load(dir.resolve("pruned-model.zip").toString(), new Configuration());
        assertEquals(kind, pruned.kind());
        PrunableLayout layout = PrunableLayout.of(pruned.configuration(), settings);
        float[] pm = MaskApplier.parameterMask(pruned, layout, mask).castTo(DataType.FLOAT).toFloatVector();
        float[] params = pruned.params().castTo(DataType.FLOAT).toFloatVector();
        int zeroed = 0;
        for (int i = 0; i < pm.length; i++) {
            if (pm[i] == 0f) {
                assertEquals(0f, params[i], 0f, "pruned parameter " + i);
                zeroed++;
            }
        }
        assertTrue(zeroed > 0, "the best mask prunes something");
        assertTrue(Files.exists(dir.resolve("_SUCCESS")));
        return mask;
    }

    @Test
    void aModelWithDropoutIsSearchedAsTheExportedModelIsTrained() throws Exception {
        // Rebuilt candidates would drop other units than the masked export does: the search's score would not be
        // the exported network's (seen with finetune.network=rebuilt: 0.156 searched, 0.215 exported). auto trains
        // them masked, so the best mask's score is the pruned model's.
        String model = save(mlp(0.5), "dropout.zip");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Path dir = run(config(model, "dropout", Map.of("finetune.max-batches", "8")), console);
        String printed = console.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("evoprune: candidates are fine-tuned at full size with the mask held (layer 'fc2'"
                + " has dropout"), printed);
        JsonNode summary = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
        java.util.List<String> generations = Files.readAllLines(dir.resolve("generations.jsonl"));
        JsonNode last = new ObjectMapper().readTree(generations.get(generations.size() - 1));
        assertEquals(last.get("bestAccuracy").asDouble(), summary.at("/pruned/validation/accuracy").asDouble(), 1e-9,
                "the exported pruned model scores what its search scored: " + summary);
    }

    @Test
    void aRunWhoseFineTuneFormAutoNowResolvesOtherwiseResumesInItsOwn() throws Exception {
        // As a run an earlier evoprune began with finetune.network=auto on a dropout model, which it resolved to
        // rebuilt: its checkpoints were scored so. Made here by a rebuilt run whose files then say auto.
        String model = save(mlp(0.5), "dropout-resume.zip");
        Path dir = run(config(model, "dropout-resume", Map.of("finetune.network", "rebuilt")));
        var summary = TinyRuns.summaryWithoutTimings(dir);
        for (String gone : new String[] {"_SUCCESS", "summary.json"}) {
            Files.delete(dir.resolve(gone));
        }
        Files.writeString(dir.resolve("_RUNNING"), "");
        Path properties = dir.resolve("config.properties");
        Files.writeString(properties, Files.readString(properties).replace("finetune.network=rebuilt",
                "finetune.network=auto"));
        try (var checkpoints = Files.list(dir.resolve("checkpoint"))) {
            for (Path c : checkpoints.filter(f -> f.toString().endsWith(".ckpt")).toList()) {
                String text = Files.readString(c);
                String payload = text.substring(text.indexOf('\n') + 1)
                        .replace("\"finetune.network\":\"rebuilt\"", "\"finetune.network\":\"auto\"");
                byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
                String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest(bytes));
                Files.writeString(c, text.substring(0, text.indexOf('\n')).replaceFirst(" \\d+ [0-9a-f]+$", " "
                        + bytes.length + " " + sha) + "\n" + payload);
            }
        }
        TinyRuns.Outcome resumed = TinyRuns.execute("run", "--resume", dir.toString());
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertEquals(summary, TinyRuns.summaryWithoutTimings(dir), "the run ended as it would have");
    }

    @Test
    void aGraphWithABranchIsPrunedByFilterAndEveryConsumerLosesThePrunedChannel() throws Exception {
        String model = save(branchGraph(), "branch.zip");
        RunConfig config = config(model, "graph-filter", Map.of("mask.granularity", "filter",
                "mask.min-kept-fraction", "0.5", "search.init-keep-probability", "0.4"));
        Path dir = run(config);
        Mask mask = assertPrunedModelIsMasked(dir, config.mask(), NetworkKind.GRAPH);
        PrunableLayout layout = PrunableLayout.of(branchGraph().configuration(), config.mask());
        for (PrunableLayout.Segment s : layout.segments()) {
            assertTrue(mask.keptCount(s.offset(), s.offset() + s.units()) >= config.mask().minKept(s.units()),
                    s.name() + " keeps its minimum");
        }
        assertEquals(2, layout.segment("c0").consumers().size(), "c0 feeds both branches");
        Network rebuilt = ModelFiles.load(dir.resolve("rebuilt-model.zip").toString(), new Configuration());
        assertEquals(mask.keptCount(layout.segment("c0").offset(), layout.segment("c0").offset() + 6),
                rebuilt.param("ca", "W").size(1), "the rebuilt graph's consumers read only c0's kept filters");
    }

    @Test
    void singleWeightsOfSelectedLayersArePruned() throws Exception {
        String model = save(mlp(), "mlp.zip");
        RunConfig config = config(model, "mlp-weight", Map.of("mask.granularity", "weight",
                "mask.layers.include", "fc1,fc2"));
        Path dir = run(config);
        Mask mask = assertPrunedModelIsMasked(dir, config.mask(), NetworkKind.MULTI_LAYER);
        assertEquals(784 * 32 + 32 * 16, mask.length());
        JsonNode summary = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
        long all = mlp().numParams();
        assertEquals(all - (mask.length() - mask.keptCount()), summary.get("pruned").get("parameters").asLong(),
                "parameters kept = all less the pruned weights");

        // The exported masked network was recovery-fine-tuned with its pruned weights still exactly zero.
        JsonNode rebuild = new ObjectMapper().readTree(dir.resolve("rebuild.json").toFile());
        assertTrue(rebuild.get("recovery").get("testAfter").get("accuracy").asDouble() > 0.1, rebuild.toString());
        MultiLayerNetwork exported = ModelSerializer.restoreMultiLayerNetwork(dir.resolve("masked-model.zip").toFile());
        MultiLayerNetwork pruned = ModelSerializer.restoreMultiLayerNetwork(dir.resolve("pruned-model.zip").toFile());
        for (String layer : new String[] {"fc1", "fc2"}) {
            INDArray before = pruned.getLayer(layer).getParam("W");
            INDArray after = exported.getLayer(layer).getParam("W");
            assertEquals(before.eq(0), after.eq(0), layer + ": the same weights are zero after recovery");
            assertFalse(before.equals(after), layer + ": recovery trained the kept weights");
        }
    }

    /** fitness.size=flops: the penalty is on the kept share of multiply-adds, and the run says so. */
    @Test
    void aFlopsFitnessPenalisesTheKeptShareOfMultiplyAdds() throws Exception {
        String model = save(branchGraph(), "branch-flops.zip");
        RunConfig config = config(model, "graph-flops-fitness", Map.of("mask.granularity", "filter",
                "fitness.size", "flops", "fitness.target-kept-fraction", "0.4", "rebuild.enabled", "false",
                "baseline.report", "true", "baseline.methods", "magnitude-global,threshold,l1,greedy-layer,iterative"));
        Path dir = run(config);
        JsonNode search = new ObjectMapper().readTree(dir.resolve("summary.json").toFile()).get("search");
        assertEquals("flops", search.get("fitnessSize").asText());
        Network base = branchGraph();
        PrunableLayout layout = PrunableLayout.of(base.configuration(), config.mask());
        Mask best = Mask.parse(new ObjectMapper().readTree(dir.resolve("best-mask.json").toFile()).get("bits").asText());
        io.evoprune.model.Flops flops = io.evoprune.model.Flops.of(base, new int[] {784});
        double expected = flops.multiplyAdds(MaskApplier.parameterMask(base, layout, best))
                / (double) flops.multiplyAdds();
        assertEquals(expected, search.get("sizeFraction").asDouble(), 1e-9);
        assertTrue(Math.abs(expected - best.keptFraction()) > 1e-3, "multiply-adds and filters differ in share");
        for (String line : Files.readAllLines(dir.resolve("generations.jsonl"))) {
            JsonNode g = new ObjectMapper().readTree(line);
            assertTrue(g.get("bestSizeFraction").asDouble() > 0 && g.get("bestSizeFraction").asDouble() <= 1, line);
        }
        // The pruners are matched to the search's share of multiply-adds, not to its number of filters.
        JsonNode rows = new ObjectMapper().readTree(dir.resolve("baselines.json").toFile());
        assertEquals(7, rows.size(), "the search's mask, the dense row and five pruners");
        double all = 2.0 * flops.multiplyAdds();
        assertEquals(all, rows.get(1).get("flops").asLong(), 0.5, "the dense row: every multiply-add");
        boolean otherUnitCounts = false;
        for (JsonNode row : rows) {
            if (row == rows.get(1)) {
                continue;
            }
            // Whole units move the share in steps: one c0 filter (its kernel and the inputs of ca and cb that read it)
            // is 9,604 of this graph's 65,624 multiply-adds, 15%, so the nearest mask is within half of that.
            assertEquals(expected, row.get("flops").asLong() / all, 0.075, row.toString());
            otherUnitCounts |= row.get("keptUnits").asInt() != best.keptCount();
        }
        assertTrue(otherUnitCounts, "matched by multiply-adds, not by the number of filters");
        assertTrue(Files.readString(dir.resolve("baselines.md")).contains(String.format(java.util.Locale.ROOT,
                "multiply-adds nearest to the search's %.1f%% (fitness.size=flops)", 100 * expected)));

        // evoprune baseline takes the mask's granularity from the file, as apply does: no mask.granularity=filter.
        deleteRecursively(OUT.resolve("graph-filter-baseline-command"));
        int code = io.evoprune.cli.Main.execute("baseline", "--mask", dir.resolve("best-mask.json").toString(),
                "--set", "model.path=" + model, "--set", "data.path=" + DATA, "--set", "data.finetune.size=256",
                "--set", "data.validation.size=256", "--set", "data.test.size=256", "--set", "finetune.batch-size=32",
                "--set", "finetune.max-batches=3", "--set", "baseline.methods=l1", "--set", "output.dir=" + OUT,
                "--set", "output.run-name=graph-filter-baseline-command");
        assertEquals(io.evoprune.cli.Main.OK, code);
        JsonNode command = new ObjectMapper().readTree(OUT.resolve("graph-filter-baseline-command")
                .resolve("baselines.json").toFile());
        assertEquals(best.keptCount(), command.get(0).get("keptUnits").asInt(), command.get(0).toString());
        assertEquals(layout.units(), command.get(1).get("keptUnits").asInt(), "the dense row keeps every filter");
    }

    @Test
    void aFlopsSizeOnALayerItCannotCountIsAnEarlyErrorNamingIt() throws Exception {
        Network net = Network.init(new NeuralNetConfiguration.Builder().seed(3).updater(new Adam(1e-3)).list()
                .layer(new org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D.Builder(3, 3).name("depthwise")
                        .depthMultiplier(2).nOut(2).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().name("fc").nOut(8).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1))
                .build());
        String model = save(net, "depthwise.zip");
        BadInputException e = assertThrows(BadInputException.class,
                () -> run(config(model, "depthwise-flops", Map.of("fitness.size", "flops"))));
        assertTrue(e.getMessage().startsWith("fitness.size=flops: ") && e.getMessage().contains("[depthwise]"),
                e.getMessage());
        assertFalse(Files.exists(OUT.resolve("depthwise-flops")));
    }

    /** Importance criteria and the classic pruners used to refuse filters and graphs; now they take both. */
    @Test
    void aGraphsFiltersAreSeededFromImportanceAndComparedWithEveryClassicPruner() throws Exception {
        String model = save(branchGraph(), "branch-baselines.zip");
        RunConfig config = config(model, "graph-filter-baselines", Map.of("mask.granularity", "filter",
                "init.importance-fraction", "0.5", "init.importance-examples", "64", "baseline.report", "true",
                "rebuild.enabled", "false"));
        Path dir = run(config);
        JsonNode rows = new ObjectMapper().readTree(dir.resolve("baselines.json").toFile());
        assertEquals(1 + 1 + 9, rows.size(), "the search's mask, the dense row and the nine default pruners");
        double kept = rows.get(0).get("keptFraction").asDouble();
        double searchTest = rows.get(0).path("testAccuracy").asDouble();
        for (JsonNode row : rows) {
            // The base is untrained, so accuracies sit near chance (0.1) and no level can be asserted; but each
            // must be measured: a share of the 256 test examples, and paired with the search's on the same ones.
            JsonNode test = row.path("testAccuracy");
            assertTrue(test.isNumber() && test.asDouble() >= 0 && test.asDouble() <= 1, row.toString());
            assertEquals(0, test.asDouble() * 256 % 1, 1e-9, "correct answers among 256: " + row);
            if (row != rows.get(0)) {
                JsonNode vs = row.path("testAgainstSearch");
                assertEquals(256, vs.path("examples").asInt(), row.toString());
                assertEquals(searchTest, vs.path("base").asDouble(-1), 1e-12, row.toString());
                assertEquals(test.asDouble(), vs.path("pruned").asDouble(-1), 1e-12, row.toString());
            }
            assertTrue(row.get("flops").asLong() > 2 * row.get("parametersKept").asLong(), row.toString());
            if (!row.get("method").asText().equals("threshold") && row != rows.get(1)) {
                // 14 filters in three layers, each rounded to whole filters: close to the search's share.
                assertEquals(kept, row.get("keptFraction").asDouble(), 0.15, row.toString());
            }
        }
        assertTrue(Files.exists(dir.resolve("_SUCCESS")));
    }

    /** NSGA-II on a CNN used to stop after its first generation: FLOPs were counted for dense layers only. */
    @Test
    void nsga2OnTheGraphTradesAccuracyAgainstConvolutionFlops() throws Exception {
        String model = save(branchGraph(), "branch-nsga2.zip");
        RunConfig config = config(model, "graph-nsga2-flops", Map.of("mask.granularity", "filter",
                "search.strategy", "nsga2", "pareto.size-objective", "flops", "rebuild.enabled", "false"));
        Path dir = run(config);
        Network base = branchGraph();
        PrunableLayout layout = PrunableLayout.of(base.configuration(), config.mask());
        io.evoprune.model.Flops flops = io.evoprune.model.Flops.of(base, new int[] {784});
        JsonNode front = new ObjectMapper().readTree(dir.resolve("pareto.json").toFile());
        assertTrue(front.size() >= 1);
        for (JsonNode p : front) {
            Mask mask = Mask.parse(p.get("bits").asText());
            assertEquals(flops.flops(MaskApplier.parameterMask(base, layout, mask)), p.get("flops").asLong(), p.toString());
            // A kept convolution weight is used at every output position; counting dense layers alone (as before)
            // gave at most 2 FLOPs per kept parameter.
            assertTrue(p.get("flops").asLong() > 2 * p.get("parametersKept").asLong(), p.toString());
            for (JsonNode q : front) {
                boolean dominates = q.get("accuracy").asDouble() >= p.get("accuracy").asDouble()
                        && q.get("flops").asLong() <= p.get("flops").asLong()
                        && (q.get("accuracy").asDouble() > p.get("accuracy").asDouble()
                        || q.get("flops").asLong() < p.get("flops").asLong());
                assertFalse(dominates, "pareto.json holds a point dominated in accuracy and FLOPs: " + p);
            }
        }
        assertTrue(Files.exists(dir.resolve("_SUCCESS")));
    }

    @Test
    void aLayerTheGranularityCannotPruneIsAnEarlyErrorNamingBoth() throws Exception {
        String model = save(mlp(), "mlp-for-errors.zip");
        BadInputException filter = assertThrows(BadInputException.class,
                () -> run(config(model, "no-conv", Map.of("mask.granularity", "filter"))));
        assertTrue(filter.getMessage().contains("granularity 'filter'"), filter.getMessage());
        BadInputException output = assertThrows(BadInputException.class, () -> run(config(model, "out-neuron",
                Map.of("mask.granularity", "neuron", "mask.layers.include", "fc1,out"))));
        assertTrue(output.getMessage().contains("Layer 'out' cannot be pruned at granularity 'neuron'"),
                output.getMessage());
        assertFalse(Files.exists(OUT.resolve("no-conv")));
        assertFalse(Files.exists(OUT.resolve("out-neuron")));
    }
}
