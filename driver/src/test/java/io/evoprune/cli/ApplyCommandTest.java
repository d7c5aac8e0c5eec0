package io.evoprune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.evoprune.data.Normalization;
import io.evoprune.mask.Granularity;
import io.evoprune.mask.Mask;
import io.evoprune.mask.MaskApplier;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.model.Architectures;
import io.evoprune.model.ModelFiles;
import io.evoprune.model.Network;
import io.evoprune.report.MaskReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** {@code evoprune apply} and {@code evoprune evaluate} on a saved model and mask, as a user runs them. */
@Tag("integration")
class ApplyCommandTest {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final String DATA = ROOT.resolve("data/fashion-mnist-small").toString();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path dir;
    private static Path model;
    private static Path mask;
    /** {@code model} with {@code mask} applied, as a run's pruned-model.zip: all parameters, the pruned ones zero. */
    private static Path pruned;

    @BeforeAll
    static void modelAndMask() throws Exception {
        dir = Files.createTempDirectory(Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"))), "apply");
        MultiLayerNetwork net = mlp(784, 3);
        model = dir.resolve("model.zip");
        ModelSerializer.writeModel(net, model.toFile(), true);
        PrunableLayout layout = PrunableLayout.of(net.getLayerWiseConfigurations(), Granularity.NEURON);
        Mask halves = Mask.of(layout.units(), i -> i % 2 == 0);
        mask = dir.resolve("best-mask.json");
        Files.writeString(mask, JSON.writeValueAsString(MaskReport.of(halves, layout, Network.of(net))));
        Network masked = Network.create(net.getLayerWiseConfigurations(), net.params());
        MaskApplier.apply(masked, layout, halves);
        pruned = dir.resolve("pruned-model.zip");
        ModelSerializer.writeModel(masked.model(), pruned.toFile(), true);
    }

    /** Dense layers fc1 (64 units), fc2 (32) and out (10) over {@code inputs} features. */
    private static MultiLayerNetwork mlp(int inputs, int seed) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(seed)
                .updater(new Adam(1e-3)).list()
                .layer(new DenseLayer.Builder().name("fc1").nIn(inputs).nOut(64).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().name("fc2").nIn(64).nOut(32).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nIn(32).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    @Test
    void appliesASavedMaskAndWritesARebuiltModelWithItsMeasurements() throws Exception {
        Path out = dir.resolve("applied");
        Result r = run("apply", "--model", model.toString(), "--mask", mask.toString(), "--out", out.toString(),
                "--data", DATA, "--set", "data.finetune.size=600", "--set", "data.validation.size=300",
                "--set", "data.test.size=300", "--set", "rebuild.recovery.learning-rate=0.01", "--set", "rebuild.measure.repeats=3", "--set", "rebuild.measure.warmup=1");
        assertEquals(Main.OK, r.code(), r.err());
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
        assertTrue(r.out().contains("evoprune: rebuilt-model.zip against the dense control (the base given the same"
                + " recovery), test, paired: accuracy pruned - control "), r.out());
        MultiLayerNetwork rebuilt = ModelSerializer.restoreMultiLayerNetwork(out.resolve("rebuilt-model.zip").toFile());
        assertEquals(32, rebuilt.getLayer(0).getParam("W").size(1));
        assertEquals(16, rebuilt.getLayer(2).getParam("W").size(0));
        JsonNode report = JSON.readTree(out.resolve("rebuild.json").toFile());
        assertTrue(report.get("equivalenceMaxAbsDifference").asDouble() < report.get("equivalenceBound").asDouble());
        assertEquals(1e-5, report.get("equivalenceBound").asDouble(), 0, "softmax outputs: the scale is 1");
        assertEquals(784L * 32 + 32 + 32 * 16 + 16 + 16 * 10 + 10, report.get("rebuilt").get("parameters").asLong());
        assertTrue(report.get("gains").get("multiplyAdds").asDouble() > 1.9);
        double before = report.get("recovery").get("testBefore").get("accuracy").asDouble();
        double after = report.get("recovery").get("testAfter").get("accuracy").asDouble();
        assertTrue(after > before + 0.1, "recovery took test accuracy from " + before + " to " + after);
        String summary = Files.readString(out.resolve("rebuild-summary.txt"));
        assertTrue(summary.contains("fc1") && summary.contains("64 -> 32"), summary);
        assertEquals(16, JSON.readTree(out.resolve("mask.json").toFile()).get("layers").get(1).get("kept").asInt());
        // The dense control is kept with the export, and is what the printed line describes.
        JsonNode control = JSON.readTree(out.resolve("control.json").toFile());
        assertEquals("rebuilt-model.zip", control.get("file").asText());
        assertEquals(784L * 64 + 64 + 64 * 32 + 32 + 32 * 10 + 10, control.get("control").get("parameters").asLong());
        JsonNode paired = control.get("againstControl");
        assertEquals(300, paired.get("examples").asInt());
        assertEquals(after, paired.get("pruned").asDouble(), 1e-9, "the export's test accuracy, as rebuild.json has it");
        assertEquals(paired.get("base").asDouble(), control.get("control").get("test").get("accuracy").asDouble(), 1e-9);
        assertTrue(r.out().contains(String.format(java.util.Locale.ROOT, "accuracy pruned - control %+.4f",
                paired.get("difference").asDouble())), r.out());
    }

    @Test
    void aMaskOfTheWrongModelIsRefusedNamingFileAndShape() throws Exception {
        JsonNode saved = JSON.readTree(mask.toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) saved.get("layers").get(1)).put("units", 40);
        Path wrong = dir.resolve("wrong-mask.json");
        Files.writeString(wrong, saved.toString());
        Path out = dir.resolve("never");
        Result r = run("apply", "--model", model.toString(), "--mask", wrong.toString(), "--out", out.toString());
        assertEquals(Main.BAD_INPUT, r.code());
        assertTrue(r.err().contains(wrong.toString()) && r.err().contains("fc2") && r.err().contains("[64, 32]"), r.err());
        assertFalse(Files.exists(out), "nothing is written for a bad mask");

        Files.writeString(wrong, saved.toString().replace("\"units\":40", "\"units\":32").replaceAll("\"bits\":\"[01]+\"",
                "\"bits\":\"0101\""));
        r = run("apply", "--model", model.toString(), "--mask", wrong.toString(), "--out", out.toString());
        assertEquals(Main.BAD_INPUT, r.code());
        assertTrue(r.err().contains("has 4 bits") && r.err().contains("96 prunable units"), r.err());

        // fc2's 32 bits all zero: well formed, but nothing could be rebuilt from it
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(model.toFile());
        PrunableLayout layout = PrunableLayout.of(net.getLayerWiseConfigurations(), Granularity.NEURON);
        Files.writeString(wrong, JSON.writeValueAsString(MaskReport.of(Mask.of(layout.units(), i -> i < 64), layout,
                Network.of(net))));
        r = run("apply", "--model", model.toString(), "--mask", wrong.toString(), "--out", out.toString());
        assertEquals(Main.BAD_INPUT, r.code());
        assertTrue(r.err().contains("keeps none of the 32 neurons of layer fc2"), r.err());
        assertFalse(Files.exists(out), "nothing is written for a mask that empties a layer");
    }

    @Test
    void aMaskOfAnotherModelWithTheSameLayersIsRefusedNamingBoth() throws Exception {
        // The same layer names and sizes over 20 features, as a CSV model has: only the recorded base tells them apart.
        MultiLayerNetwork csv = mlp(20, 3);
        PrunableLayout layout = PrunableLayout.of(csv.getLayerWiseConfigurations(), Granularity.NEURON);
        Path csvMask = dir.resolve("csv-mask.json");
        Files.writeString(csvMask, JSON.writeValueAsString(MaskReport.of(Mask.of(layout.units(), i -> i % 2 == 0),
                layout, Network.of(csv))));
        Path out = dir.resolve("never-csv");
        Result r = run("apply", "--model", model.toString(), "--mask", csvMask.toString(), "--out", out.toString());
        assertEquals(Main.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("Mask file " + csvMask + " was made for a model of 3,754 parameters whose fc1 reads"
                + " 20 inputs; model " + model + " has 52,650 parameters and its fc1 reads 784: the mask belongs to"
                + " another model"), r.err());
        assertFalse(Files.exists(out), "nothing is written for another model's mask");
    }

    @Test
    void aMaskFitsItsBaseThePrunedModelAndACopyWithOtherWeights() throws Exception {
        Path copy = dir.resolve("other-weights.zip");
        ModelSerializer.writeModel(mlp(784, 11), copy.toFile(), true); // as retraining the architecture gives
        for (Path m : new Path[] {model, pruned, copy}) {
            Result r = run("apply", "--model", m.toString(), "--mask", mask.toString(), "--out",
                    dir.resolve("fits-" + m.getFileName()).toString());
            assertEquals(Main.OK, r.code(), m + ": " + r.err());
        }
        // What apply writes records the model it was applied to, as a run's best-mask.json does.
        JsonNode base = JSON.readTree(dir.resolve("fits-model.zip").resolve("mask.json").toFile()).get("base");
        assertEquals(52_650, base.get("parameters").asLong(), base.toString());
        assertEquals(784, base.get("inputs").get("fc1").asLong(), base.toString());
        assertEquals(64, base.get("inputs").get("fc2").asLong(), base.toString());
    }

    @Test
    void aMaskFileWithoutItsBaseIsCheckedByItsLayersAlone() throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode tree =
                (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(mask.toFile());
        assertTrue(tree.has("base"), "the fixture records its base, as a run's best-mask.json does: " + tree);
        tree.remove("base"); // as an older run's file, or one written by hand
        Path older = dir.resolve("older-mask.json");
        Files.writeString(older, tree.toString());
        Result r = run("apply", "--model", model.toString(), "--mask", older.toString(), "--out",
                dir.resolve("older").toString());
        assertEquals(Main.OK, r.code(), r.err());
    }

    @Test
    void evaluateWithARunScoresItsExportedModelAgainstItsBaseOnItsSplits() throws Exception {
        Path run = runDirectory("evaluated-run");
        Result r = run("evaluate", "--run", run.toString());
        assertEquals(Main.OK, r.code(), r.err());
        assertTrue(r.out().contains("evoprune: " + run.resolve("pruned-model.zip") + " on the test part"), r.out());
        assertTrue(r.out().contains("evoprune: base " + run.resolve("base-model.zip") + " on the same examples"),
                r.out());
        assertTrue(r.out().contains("  examples                   250\n"), "the run's data.test.size: " + r.out());

        // A rebuilt model is the one the run exported; --set wins over the run's keys.
        Files.copy(model, run.resolve("rebuilt-model.zip"));
        r = run("evaluate", "--run", run.toString(), "--part", "validation", "--set", "data.validation.size=200");
        assertEquals(Main.OK, r.code(), r.err());
        assertTrue(r.out().contains("evoprune: " + run.resolve("rebuilt-model.zip") + " on the validation part"),
                r.out());
        assertTrue(r.out().contains("  examples                   200\n"), r.out());

        // A run given model.path has no base-model.zip: that file is its base.
        Path given = runDirectory("given-base-run", "model.path", model.toString());
        Files.delete(given.resolve("base-model.zip"));
        r = run("evaluate", "--run", given.toString());
        assertEquals(Main.OK, r.code(), r.err());
        assertTrue(r.out().contains("evoprune: base " + model + " on the same examples"), r.out());
    }

    @Test
    void applyWithARunAppliesItsMaskToItsBaseOnItsDataWithItsKeys() throws Exception {
        Path run = runDirectory("applied-run");
        Path out = dir.resolve("applied-from-run");
        Result r = run("apply", "--run", run.toString(), "--out", out.toString());
        assertEquals(Main.OK, r.code(), r.err());
        JsonNode recovery = JSON.readTree(out.resolve("rebuild.json").toFile()).get("recovery");
        assertEquals(0.01, recovery.get("settings").get("learningRate").asDouble(), recovery.toString());
        assertTrue(recovery.has("testAfter"), "recovered on the run's data: " + recovery);
        assertEquals(784, JSON.readTree(out.resolve("mask.json").toFile()).get("base").get("inputs").get("fc1").asInt());
        assertTrue(r.out().contains("rebuilt-model.zip against the dense control (the base given the same recovery)"),
                r.out());
        assertTrue(r.out().contains("evoprune: recovered vs base on the test set, paired: accuracy pruned - base "),
                r.out());

        // The run's own masked network has no dense control: the same recovery without the mask is that network.
        Path own = dir.resolve("applied-to-pruned");
        r = run("apply", "--run", run.toString(), "--model", run.resolve("pruned-model.zip").toString(), "--out",
                own.toString());
        assertEquals(Main.OK, r.code(), r.err());
        assertFalse(r.out().contains("against the dense control"), r.out());
        assertFalse(Files.exists(own.resolve("control.json")), "no control, so no control.json");
        // What recovery is compared with is the model given, already masked: not called the base.
        assertTrue(r.out().contains("evoprune: recovered vs input on the test set, paired: accuracy pruned - input ")
                && !r.out().contains("recovered vs base"), r.out());
        assertTrue(r.out().contains("evoprune: no dense control: " + run.resolve("pruned-model.zip") + " already has"
                + " this mask's units at zero") && r.out().contains("evoprune evaluate --model "
                + own.resolve("rebuilt-model.zip") + " --run " + run), r.out());
    }

    @Test
    void aRunDirectoryWithoutWhatACommandNeedsIsBadInputNamingIt() throws Exception {
        Path missing = dir.resolve("no-such-run");
        Result r = run("evaluate", "--run", missing.toString());
        assertEquals(Main.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("Run directory " + missing + " does not exist (--run)"), r.err());

        Path empty = Files.createDirectories(dir.resolve("not-a-run"));
        r = run("apply", "--run", empty.toString(), "--out", dir.resolve("never-from-run").toString());
        assertEquals(Main.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains(empty + " is not an evoprune run directory: it has no config.properties (--run)"),
                r.err());

        Path unfinished = runDirectory("unfinished-run");
        Files.delete(unfinished.resolve("pruned-model.zip"));
        Files.delete(unfinished.resolve("best-mask.json"));
        r = run("evaluate", "--run", unfinished.toString());
        assertEquals(Main.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("Run directory " + unfinished + " (--run) has no exported model (rebuilt-model.zip,"
                + " masked-model.zip, pruned-model.zip): did its search finish?"), r.err());
        r = run("apply", "--run", unfinished.toString(), "--out", dir.resolve("never-from-run").toString());
        assertEquals(Main.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("Run directory " + unfinished + " (--run) has no best-mask.json: did its search"
                + " finish?"), r.err());

        Files.delete(unfinished.resolve("base-model.zip"));
        r = run("evaluate", "--run", unfinished.toString(), "--model", model.toString());
        assertEquals(Main.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("Run directory " + unfinished + " (--run) has no base-model.zip and its"
                + " config.properties sets no model.path"), r.err());
        assertFalse(Files.exists(dir.resolve("never-from-run")));

        r = run("evaluate", "--model", model.toString());
        assertEquals(Main.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("evoprune evaluate needs --model and --data, or --run RUN_DIR"), r.err());
    }

    /**
     * A finished run's directory as evaluate and apply read it: config.properties (with a key neither reads),
     * base-model.zip, pruned-model.zip and best-mask.json; {@code extra} are more key, value pairs.
     */
    private static Path runDirectory(String name, String... extra) throws Exception {
        Path run = Files.createDirectories(dir.resolve(name));
        java.util.Properties config = new java.util.Properties();
        String[] keys = {"data.path", DATA, "data.finetune.size", "600", "data.validation.size", "300",
                "data.test.size", "250", "search.seed", "7", "search.population", "4",
                "rebuild.recovery.learning-rate", "0.01", "rebuild.measure.repeats", "3", "rebuild.measure.warmup", "1"};
        for (String[] pairs : new String[][] {keys, extra}) {
            for (int i = 0; i < pairs.length; i += 2) {
                config.setProperty(pairs[i], pairs[i + 1]);
            }
        }
        try (var w = Files.newBufferedWriter(run.resolve("config.properties"))) {
            config.store(w, null);
        }
        Files.copy(model, run.resolve("base-model.zip"));
        Files.copy(pruned, run.resolve("pruned-model.zip"));
        Files.copy(mask, run.resolve("best-mask.json"));
        return run;
    }

    @Test
    void handEditedMaskFilesAreRefusedForWhatIsWrongInThem() throws Exception {
        Path out = dir.resolve("never-edited");
        Path edited = dir.resolve("edited-mask.json");
        String saved = Files.readString(mask);
        com.fasterxml.jackson.databind.node.ObjectNode tree = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(saved);

        tree.remove("kept");
        Files.writeString(edited, tree.toString());
        Result r = run("apply", "--model", model.toString(), "--mask", edited.toString(), "--out", out.toString());
        assertTrue(r.code() == Main.BAD_INPUT && r.err().contains(edited + " lacks 'kept'"), r.err());

        tree = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(saved);
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("layers").get(1)).putArray("keptIndices").add(0).add(1);
        Files.writeString(edited, tree.toString());
        r = run("apply", "--model", model.toString(), "--mask", edited.toString(), "--out", out.toString());
        assertTrue(r.code() == Main.BAD_INPUT && r.err().contains("lists kept indices of layer fc2 that its bits do"
                + " not keep (2 listed, 16 kept by the bits; index ") && r.err().contains("). 'bits' is the mask applied:"
                + " after changing it, set 'kept' to its count of 1s and fix or delete the layers' 'keptIndices'"), r.err());
        // an index the layer does not have is named as such
        tree = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(saved);
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("layers").get(1)).putArray("keptIndices").add(9999);
        Files.writeString(edited, tree.toString());
        r = run("apply", "--model", model.toString(), "--mask", edited.toString(), "--out", out.toString());
        assertTrue(r.code() == Main.BAD_INPUT && r.err().contains("index 9999 is outside the layer's "), r.err());

        Files.writeString(edited, saved.replace("\"fc1\"", "\"fcX\""));
        r = run("apply", "--model", model.toString(), "--mask", edited.toString(), "--out", out.toString());
        assertTrue(r.code() == Main.BAD_INPUT && r.err().contains("names layers [fcX] that model " + model)
                && !r.err().contains("mask.layers.include"), r.err());

        tree = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(saved);
        tree.put("granularity", "filter");
        Files.writeString(edited, tree.toString());
        r = run("apply", "--model", model.toString(), "--mask", edited.toString(), "--out", out.toString());
        assertTrue(r.code() == Main.BAD_INPUT && r.err().contains("Mask file " + edited + " (granularity 'filter') does"
                + " not fit model " + model + ": layer 'fc1' cannot be pruned at that granularity: DenseLayer is not a"
                + " 2-D ConvolutionLayer; was the mask made for another model?")
                && r.err().contains("was the mask made for another model?")
                && !r.err().contains("mask.layers.include"), r.err());

        tree = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(saved);
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("layers").get(0)).remove("name");
        Files.writeString(edited, tree.toString());
        r = run("apply", "--model", model.toString(), "--mask", edited.toString(), "--out", out.toString());
        assertTrue(r.code() == Main.BAD_INPUT && r.err().contains("has a layer without 'name' or 'units'"), r.err());

        tree = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(saved);
        tree.put("kept", "many");
        Files.writeString(edited, tree.toString());
        r = run("apply", "--model", model.toString(), "--mask", edited.toString(), "--out", out.toString());
        assertTrue(r.code() == Main.BAD_INPUT && r.err().contains("has a value of the wrong kind at 'kept'")
                && !r.err().contains("io.evoprune"), r.err());

        tree = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(saved);
        tree.put("granularity", "neurons");
        Files.writeString(edited, tree.toString());
        r = run("apply", "--model", model.toString(), "--mask", edited.toString(), "--out", out.toString());
        assertTrue(r.code() == Main.BAD_INPUT && r.err().contains("Mask file " + edited + ": granularity must be one of"
                + " neuron, filter, weight, but was 'neurons'"), r.err());

        // Locations Hadoop's Path cannot name (a scheme without a path) are the user's to fix, not a failure.
        r = run("apply", "--model", model.toString(), "--mask", "m:1.json", "--out", out.toString());
        assertTrue(r.code() == Main.BAD_INPUT && r.err().contains("Mask file 'm:1.json' is not a location"), r.err());
        r = run("apply", "--model", model.toString(), "--mask", mask.toString(), "--out", "exp:1");
        assertTrue(r.code() == Main.BAD_INPUT && r.err().contains("Cannot create the run directory 'exp:1' (key --out)"),
                r.err());

        Files.writeString(edited, saved.substring(0, saved.length() / 2));
        r = run("apply", "--model", model.toString(), "--mask", edited.toString(), "--out", out.toString());
        assertTrue(r.code() == Main.BAD_INPUT && r.err().contains(edited + " is not valid JSON")
                && !r.err().contains("REDACTED"), r.err());

        // A weight mask may not empty a layer either: the search's repair never lets one.
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(model.toFile());
        PrunableLayout weights = PrunableLayout.of(net.getLayerWiseConfigurations(), Granularity.WEIGHT);
        Files.writeString(edited, JSON.writeValueAsString(MaskReport.of(Mask.of(weights.units(),
                i -> i >= 784 * 64), weights, Network.of(net))));
        r = run("apply", "--model", model.toString(), "--mask", edited.toString(), "--out", out.toString());
        assertTrue(r.code() == Main.BAD_INPUT && r.err().contains("keeps none of the 50176 weights of layer fc1"),
                r.err());
        assertFalse(Files.exists(out), "nothing is written for a refused mask");
    }

    @Test
    void aWeightMaskIsExportedMaskedWithItsSparsityAndNoRebuild() throws Exception {
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(model.toFile());
        PrunableLayout layout = PrunableLayout.of(net.getLayerWiseConfigurations(), Granularity.WEIGHT);
        Path weightMask = dir.resolve("weight-mask.json");
        Files.writeString(weightMask, JSON.writeValueAsString(MaskReport.of(Mask.of(layout.units(), i -> i % 4 == 0), layout,
                Network.of(net))));
        Path out = dir.resolve("weights");
        Result r = run("apply", "--model", model.toString(), "--mask", weightMask.toString(), "--out", out.toString());
        assertEquals(Main.OK, r.code(), r.err());
        assertTrue(r.out().contains("no dense rebuild is possible"), r.out());
        assertFalse(Files.exists(out.resolve("rebuilt-model.zip")));
        MultiLayerNetwork masked = ModelSerializer.restoreMultiLayerNetwork(out.resolve("masked-model.zip").toFile());
        assertEquals(net.numParams(), masked.numParams());
        JsonNode report = JSON.readTree(out.resolve("rebuild.json").toFile());
        assertFalse(report.get("rebuiltSmaller").asBoolean());
        assertEquals(0.75, report.get("sparsity").get("fraction").asDouble(), 0.01);
        assertEquals(3, report.get("sparsity").get("layers").size());
    }

    @Test
    void evaluatePrintsEveryMetric() {
        Result r = run("evaluate", "--model", model.toString(), "--data", DATA);
        assertEquals(Main.OK, r.code(), r.err());
        for (String metric : new String[] {"accuracy", "precision", "recall", "f1", "loss", "multiply-adds"}) {
            assertTrue(r.out().contains(metric), r.out());
        }
        // counts with thousands separators, as the run's console writes them
        assertTrue(r.out().contains("  parameters                 52,650 (106 zero)\n"), r.out());
        assertTrue(r.out().contains("  multiply-adds per example  52,544\n"), r.out());
    }

    @Test
    void evaluateAgainstABaseComparesTheModelsExampleByExample() {
        Result self = run("evaluate", "--model", model.toString(), "--base", model.toString(), "--data", DATA);
        assertEquals(Main.OK, self.code(), self.err());
        assertTrue(self.out().contains("evoprune: base " + model + " on the same examples"), self.out());
        assertTrue(self.out().contains("accuracy pruned - base +0.0000 (95% CI") && self.out().contains(
                "on 2,000 examples; right only for pruned 0, base 0; McNemar exact p = 1.0: no significant difference"),
                self.out());

        Result wrong = run("evaluate", "--model", model.toString(), "--base", dir.resolve("nothing.zip").toString(),
                "--data", DATA);
        assertEquals(Main.BAD_INPUT, wrong.code());
        assertTrue(wrong.err().contains("nothing.zip does not exist (--base)"), wrong.err());
    }

    @Test
    void modelsThatDoNotFitTheDataAreBadInputNamingModelAndData() throws Exception {
        // A graph base (no MultiLayerNetwork shortcut) of the wrong width: refused before anything is scored.
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(3).graphBuilder()
                .addInputs("in")
                .addLayer("d1", new DenseLayer.Builder().nIn(20).nOut(8).activation(Activation.RELU).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(10)
                        .activation(Activation.SOFTMAX).build(), "d1")
                .setOutputs("out").build());
        graph.init();
        Path narrow = dir.resolve("narrow-graph.zip");
        ModelSerializer.writeModel(graph, narrow.toFile(), true);
        String misfit = "Model " + narrow + " and the data at " + DATA + " do not fit: the model takes 20 inputs but "
                + "the data has 784 features per example (shape [1, 28, 28])";

        Result base = run("evaluate", "--model", model.toString(), "--base", narrow.toString(), "--data", DATA);
        assertEquals(Main.BAD_INPUT, base.code(), base.err());
        assertTrue(base.err().contains(misfit), base.err());
        assertFalse(base.out().contains("accuracy"), "nothing scored before the check: " + base.out());

        Result evaluated = run("evaluate", "--model", narrow.toString(), "--data", DATA);
        assertEquals(Main.BAD_INPUT, evaluated.code());
        assertTrue(evaluated.err().contains(misfit), evaluated.err());

        Path narrowMask = dir.resolve("narrow-mask.json");
        PrunableLayout layout = PrunableLayout.of(graph.getConfiguration(), Granularity.NEURON);
        Files.writeString(narrowMask, JSON.writeValueAsString(MaskReport.of(Mask.of(layout.units(), i -> i < 4), layout,
                Network.of(graph))));
        Result applied = run("apply", "--model", narrow.toString(), "--mask", narrowMask.toString(), "--out",
                dir.resolve("never-rebuilt").toString(), "--data", DATA);
        assertEquals(Main.BAD_INPUT, applied.code());
        assertTrue(applied.err().contains(misfit), applied.err());
        assertFalse(Files.exists(dir.resolve("never-rebuilt")));

        Result classes = run("apply", "--model", model.toString(), "--mask", mask.toString(), "--out",
                dir.resolve("never-12").toString(), "--data", DATA, "--set", "data.classes=12");
        assertEquals(Main.BAD_INPUT, classes.code());
        assertTrue(classes.err().contains("Model " + model + " and the data at " + DATA + " do not fit: the model has "
                + "10 outputs but the data has 12 classes"), classes.err());

        Result frozen = run("apply", "--model", model.toString(), "--mask", mask.toString(), "--out",
                dir.resolve("never-frozen").toString(), "--set", "rebuild.recovery.frozen-layers=nope");
        assertEquals(Main.BAD_INPUT, frozen.code());
        assertTrue(frozen.err().contains("rebuild.recovery.frozen-layers names layer 'nope'"), frozen.err());
        assertFalse(Files.exists(dir.resolve("never-frozen")), "refused before the output folder");
    }

    @Test
    void modelsThatReadTheDataDifferentlyAreComparedEachInItsOwnView() throws Exception {
        // An image-input CNN against the built-in lenet-5, which reads the same images as flat rows.
        MultiLayerNetwork images = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5).list()
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(4).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(28, 28, 1)).build());
        images.init();
        Path cnn = dir.resolve("image-cnn.zip");
        ModelSerializer.writeModel(images, cnn.toFile(), true);
        MultiLayerNetwork flat = new MultiLayerNetwork(Architectures.build("lenet-5", new int[] {1, 28, 28}, 10, false,
                1e-3, 1));
        flat.init();
        Path lenet = dir.resolve("flat-lenet5.zip");
        ModelSerializer.writeModel(flat, lenet.toFile(), true);

        Result r = run("evaluate", "--model", cnn.toString(), "--base", lenet.toString(), "--data", DATA,
                "--set", "data.test.size=200");
        assertEquals(Main.OK, r.code(), r.err());
        assertTrue(r.out().contains("on 200 examples; right only for pruned"), r.out());
    }

    @Test
    void aBundledNormaliserOfAnotherWidthIsBadInput() throws Exception {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(784).nOut(10)
                        .activation(Activation.SOFTMAX).build()).build());
        net.init();
        NormalizerStandardize narrow = new NormalizerStandardize();
        narrow.fit(new DataSet(Nd4j.rand(DataType.FLOAT, 50, 20), Nd4j.zeros(DataType.FLOAT, 50, 10)));
        Path file = dir.resolve("narrow-normaliser.zip");
        Files.write(file, ModelFiles.zip(Network.of(net), Normalization.bytes(narrow)));
        String expected = "Model " + file + " and the data at " + DATA + " do not fit: the normaliser "
                + "(normalizer.bin) does not fit the data's examples of shape [784]";

        Result evaluated = run("evaluate", "--model", file.toString(), "--data", DATA);
        assertEquals(Main.BAD_INPUT, evaluated.code(), evaluated.err());
        assertTrue(evaluated.err().contains(expected), evaluated.err());
        Result applied = run("apply", "--model", file.toString(), "--mask", mask.toString(), "--out",
                dir.resolve("never-normalised").toString(), "--data", DATA);
        assertEquals(Main.BAD_INPUT, applied.code(), applied.err());
    }

    @Test
    void aModelBundlingANormaliserOtherThanTheRunsIsRefusedNamingBoth() throws Exception {
        Path run = runDirectory("normalised-run", "model.path", model.toString());
        Path runs = run.resolve("normalizer.bin");
        Files.write(runs, Normalization.bytes(standardizer(1)));
        Path other = dir.resolve("other-normaliser.zip");
        Files.write(other, ModelFiles.zip(Network.of(ModelSerializer.restoreMultiLayerNetwork(model.toFile())),
                Normalization.bytes(standardizer(2))));
        String expected = "Model file " + other + " bundles a normaliser (normalizer.bin) other than the run's " + runs
                + " (--run)";

        Result evaluated = run("evaluate", "--run", run.toString(), "--model", other.toString());
        assertEquals(Main.BAD_INPUT, evaluated.code(), evaluated.err());
        assertTrue(evaluated.err().contains(expected), evaluated.err());
        Path out = dir.resolve("never-renormalised");
        Result applied = run("apply", "--run", run.toString(), "--model", other.toString(), "--out", out.toString());
        assertEquals(Main.BAD_INPUT, applied.code(), applied.err());
        assertTrue(applied.err().contains(expected), applied.err());
        assertFalse(Files.exists(out), "refused before the output folder");

        Files.writeString(runs, "not a normaliser");
        Result broken = run("evaluate", "--run", run.toString(), "--model", model.toString());
        assertEquals(Main.BAD_INPUT, broken.code(), broken.err());
        assertTrue(broken.err().contains(runs + " is not an ND4J NormalizerSerializer normaliser"), broken.err());
        assertTrue(broken.err().contains("): restore it from a copy (--run)"), broken.err());
        assertFalse(broken.err().contains("bundle it again"), "a run's file is in no zip: " + broken.err());
    }

    /** A standardiser of 784 features, fitted on random data of seed {@code seed}. */
    private static NormalizerStandardize standardizer(long seed) {
        NormalizerStandardize n = new NormalizerStandardize();
        Nd4j.getRandom().setSeed(seed);
        n.fit(new DataSet(Nd4j.rand(DataType.FLOAT, 50, 784), Nd4j.zeros(DataType.FLOAT, 50, 10)));
        return n;
    }

    @Test
    void theDatasetIsGivenAsDataNotAsSetDataPath() throws Exception {
        // apply took --set data.path without --data, then did none of the data's work and said nothing.
        Path out = dir.resolve("never-without-data");
        Result applied = run("apply", "--model", model.toString(), "--mask", mask.toString(), "--out", out.toString(),
                "--set", "data.path=" + DATA);
        assertEquals(Main.BAD_INPUT, applied.code(), applied.err());
        assertTrue(applied.err().contains("evoprune apply takes the dataset as --data D, not --set data.path (that key"
                + " only overrides the data.path of --run RUN_DIR): give --data instead"), applied.err());
        assertFalse(Files.exists(out));
        Result evaluated = run("evaluate", "--model", model.toString(), "--set", "data.path=" + DATA);
        assertEquals(Main.BAD_INPUT, evaluated.code(), evaluated.err());
        assertTrue(evaluated.err().contains("evoprune evaluate takes the dataset as --data D"), evaluated.err());
        Result twice = run("evaluate", "--model", model.toString(), "--data", DATA, "--set", "data.path=" + DATA);
        assertEquals(Main.BAD_INPUT, twice.code(), twice.err());
        assertTrue(twice.err().contains("given the dataset twice, as --data and as --set data.path"), twice.err());
        Result noData = run("apply", "--model", model.toString(), "--mask", mask.toString(), "--out", out.toString(),
                "--set", "data.test.size=100");
        assertEquals(Main.BAD_INPUT, noData.code(), noData.err());
        assertTrue(noData.err().contains("evoprune apply reads no dataset without --data D (or --run RUN_DIR), so --set"
                + " data.test.size would do nothing"), noData.err());
        assertFalse(Files.exists(out));

        // With --run it overrides the run's data.path, as any --set overrides the run's keys.
        Path run = runDirectory("other-data-run", "data.path", dir.resolve("no-such-data").toString());
        Result overridden = run("evaluate", "--run", run.toString(), "--set", "data.path=" + DATA);
        assertEquals(Main.OK, overridden.code(), overridden.err());
    }

    @Test
    void keysACommandDoesNotReadAreRefusedAndValidationCanBeScored() {
        Result population = run("apply", "--model", model.toString(), "--mask", mask.toString(), "--out",
                dir.resolve("never-applied").toString(), "--set", "search.population=3");
        assertEquals(Main.BAD_INPUT, population.code());
        assertTrue(population.err().contains("--set search.population would do nothing here"), population.err());
        assertFalse(Files.exists(dir.resolve("never-applied")));
        Result normalize = run("evaluate", "--model", model.toString(), "--data", DATA, "--set", "data.normalize=minmax");
        assertEquals(Main.BAD_INPUT, normalize.code());
        assertTrue(normalize.err().contains("does not read data.normalize"), normalize.err());

        Result validation = run("evaluate", "--model", model.toString(), "--data", DATA, "--part", "validation",
                "--set", "data.validation.size=300");
        assertEquals(Main.OK, validation.code(), validation.err());
        assertTrue(validation.out().contains("examples                   300"), validation.out());
        Result tests = run("evaluate", "--model", model.toString(), "--data", DATA, "--set", "data.test.size=250");
        assertTrue(tests.out().contains("examples                   250"), tests.out());

        Result help = run("evaluate", "--help");
        assertEquals(Main.OK, help.code());
        assertTrue(help.out().contains("95% interval") && help.err().isEmpty(), help.err());
    }

    private record Result(int code, String out, String err) {
    }

    /** Runs the CLI in this JVM, capturing what it prints. */
    private static Result run(String... args) {
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.execute(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }
}
