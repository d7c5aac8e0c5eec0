package io.evoprune.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.evoprune.config.RunConfig;
import io.evoprune.config.Settings;
import io.evoprune.mask.Granularity;
import io.evoprune.mask.Mask;
import io.evoprune.mask.MaskApplier;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.model.ModelFiles;
import io.evoprune.model.Network;
import io.evoprune.report.RebuildReport;
import io.evoprune.report.RunDirectory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntPredicate;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The rebuild step on a small real network: what it prints, and what it exports where it cannot rebuild. */
class RebuildStepTest {
    private static final Configuration HADOOP = new Configuration();

    @Test
    void theConsoleHasNoBarePrefixLinesAndTheMeasurementTableLinesUp() throws Exception {
        Step step = rebuild("rebuild", i -> i % 2 == 0, Map.of("rebuild.recovery.epochs", "0",
                "rebuild.measure.batch-size", "32", "rebuild.measure.warmup", "1", "rebuild.measure.repeats", "3"), 8);

        List<String> console = step.console().lines().toList();
        assertTrue(console.stream().noneMatch(String::isBlank), "no blank lines: " + console);
        assertTrue(console.stream().allMatch(l -> l.startsWith("evoprune: ") && !l.substring(10).isBlank()),
                "every line says something: " + console);
        assertTrue(console.contains("evoprune: fc1    DenseLayer   6 -> 6  8 -> 4    56 -> 28"), String.join("\n", console));
        String header = console.stream().filter(l -> l.startsWith("evoprune: measure ")).findFirst().orElseThrow();
        String fileBytes = console.stream().filter(l -> l.startsWith("evoprune: model file bytes (no updater) "))
                .findFirst().orElseThrow();
        assertEquals(header.length(), fileBytes.length(), "the ratio column ends under its header:\n"
                + header + "\n" + fileBytes);
    }

    /**
     * A finished search always ends in a usable model: where the rebuild cannot follow the mask, the masked network
     * is exported instead, with the reason, rather than the run failing after its search.
     */
    @Test
    void exportsTheMaskedNetworkWithTheReasonWhenTheRebuildRefuses() throws Exception {
        // fc2 emptied: the search's repair and a mask file's check never let this through, so it stands for any
        // layout the rebuild cannot follow
        Step step = rebuild("fallback", i -> i < 8, Map.of("rebuild.recovery.epochs", "1"), 8, 4);
        RebuildReport report = step.report();

        assertTrue(step.console().contains("cannot be rebuilt smaller") && step.console().contains("fc2"),
                step.console());
        assertFalse(report.rebuiltSmaller());
        assertTrue(report.note().contains("would keep no units"), report.note());
        assertFalse(step.run().exists(RebuildStep.MODEL));
        JsonNode json = TinyRuns.json(step.dir().resolve("rebuild.json"));
        assertFalse(json.get("rebuiltSmaller").asBoolean());
        assertTrue(json.get("recovery").has("testAfter"), json.toString());

        // the export is the masked network after recovery, its pruned units still zero
        Network exported = ModelFiles.load(step.dir().resolve(RebuildStep.MASKED_MODEL).toString(), HADOOP);
        assertEquals(0.0, exported.param("fc2", "W").amaxNumber().doubleValue());
        assertEquals(0.0, exported.param("fc2", "b").amaxNumber().doubleValue());
        assertTrue(exported.param("fc1", "W").amaxNumber().doubleValue() > 0);
    }

    /**
     * Regression outputs around 200: the rebuild's float32 rounding there is one ulp, 1.5e-5, which the old absolute
     * bound of 1e-5 rejected after a finished search. The bound is now relative to the outputs, and says so.
     */
    @Test
    void aRebuildWithOutputsInTheHundredsPassesTheRelativeBound() throws Exception {
        MultiLayerNetwork mln = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)
                .updater(new Sgd(0.01)).list()
                .layer(new DenseLayer.Builder().name("fc").nIn(6).nOut(512).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).name("out").nIn(512).nOut(2)
                        .activation(Activation.IDENTITY).build())
                .build());
        mln.init();
        mln.getLayer(1).getParam("W").muli(50);
        mln.getLayer(1).getParam("b").assign(200);
        Network base = Network.of(mln);
        PrunableLayout layout = PrunableLayout.of(mln.getLayerWiseConfigurations(), Granularity.NEURON);
        Mask mask = Mask.of(layout.units(), i -> i % 3 != 1);
        Network masked = Network.create(base.configuration(), base.params());
        MaskApplier.apply(masked, layout, mask);
        Nd4j.getRandom().setSeed(1);
        DataSet data = new DataSet(Nd4j.rand(DataType.FLOAT, 512, 6), Nd4j.rand(DataType.FLOAT, 512, 2).muli(400));
        RunConfig config = RunConfig.from(Settings.defaults().with(Map.of("rebuild.recovery.epochs", "0",
                "rebuild.measure.batch-size", "32", "rebuild.measure.warmup", "1", "rebuild.measure.repeats", "3"),
                "test"));
        Path dir = TinyRuns.newFolder("large-outputs").resolve("run");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        RebuildReport report = new RebuildStep(config.rebuild(), RunDirectory.create(dir.toString(), HADOOP),
                new PrintStream(printed, true, StandardCharsets.UTF_8)).run(base, masked, layout, mask,
                new RebuildStep.Data(data, data, data, true), 7, null).report();

        String console = printed.toString(StandardCharsets.UTF_8);
        assertTrue(report.equivalenceScale() > 150, "the masked outputs are around 200: " + report);
        assertEquals(1e-5 * report.equivalenceScale(), report.equivalenceBound(), 1e-12);
        assertTrue(report.equivalenceMaxAbsDifference() < report.equivalenceBound(), console);
        assertTrue(console.contains("; bound " + String.format(Locale.ROOT, "%.3g", report.equivalenceBound())
                + " (relative bound 1e-05 of "), console);
        JsonNode json = TinyRuns.json(dir.resolve("rebuild.json"));
        assertEquals(report.equivalenceScale(), json.get("equivalenceScale").asDouble());
        assertEquals(report.equivalenceBound(), json.get("equivalenceBound").asDouble());
    }

    @Test
    void aRecoveryThatMakesValidationWorseIsWarnedOf() throws Exception {
        // A learning rate far too high for this network: recovery overshoots (checked below, so the case is real).
        Step step = rebuild("worse-recovery", i -> i % 2 == 0, Map.of("rebuild.recovery.epochs", "3",
                "rebuild.recovery.learning-rate", "5", "rebuild.measure.repeats", "1", "rebuild.measure.warmup", "0"),
                8, 4);
        RebuildReport.Recovery r = step.report().recovery();
        assertTrue(r.validationAfter().accuracy() < r.validationBefore().accuracy(), step.console());
        assertTrue(step.console().contains(String.format(Locale.ROOT, "evoprune: warning: recovery made validation"
                + " accuracy worse (%.4f -> %.4f), and the recovered network is the one exported:"
                + " rebuild.recovery.epochs=0 exports it as searched, or lower rebuild.recovery.learning-rate (now 5.0)",
                r.validationBefore().accuracy(), r.validationAfter().accuracy())), step.console());

        Step gentle = rebuild("gentle-recovery", i -> i % 2 == 0, Map.of("rebuild.recovery.epochs", "1",
                "rebuild.measure.repeats", "1", "rebuild.measure.warmup", "0"), 8, 4);
        RebuildReport.Recovery g = gentle.report().recovery();
        assertEquals(g.validationAfter().accuracy() < g.validationBefore().accuracy(),
                gentle.console().contains("warning: recovery made"), gentle.console());
    }

    private record Step(RunDirectory run, Path dir, RebuildReport report, String console) {
    }

    /**
     * The step run on a 6-input, 3-class network with dense layers of {@code hidden} units, masked to the units
     * {@code kept} accepts, with 32 random examples for every part of the data.
     */
    private static Step rebuild(String name, IntPredicate kept, Map<String, String> keys, int... hidden)
            throws Exception {
        NeuralNetConfiguration.ListBuilder layers = new NeuralNetConfiguration.Builder().seed(5).updater(new Sgd(0.01))
                .list();
        int in = 6;
        for (int h = 0; h < hidden.length; h++) {
            layers.layer(new DenseLayer.Builder().name("fc" + (h + 1)).nIn(in).nOut(hidden[h])
                    .activation(Activation.RELU).build());
            in = hidden[h];
        }
        MultiLayerNetwork mln = new MultiLayerNetwork(layers.layer(new OutputLayer.Builder(
                LossFunctions.LossFunction.MCXENT).name("out").nIn(in).nOut(3).activation(Activation.SOFTMAX).build())
                .build());
        mln.init();
        Network base = Network.of(mln);
        PrunableLayout layout = PrunableLayout.of(mln.getLayerWiseConfigurations(), Granularity.NEURON);
        Mask mask = Mask.of(layout.units(), kept);
        Network masked = Network.create(base.configuration(), base.params());
        MaskApplier.apply(masked, layout, mask);

        INDArray labels = Nd4j.zeros(DataType.FLOAT, 32, 3);
        for (int i = 0; i < 32; i++) {
            labels.putScalar(i, i % 3, 1);
        }
        Nd4j.getRandom().setSeed(1);
        DataSet data = new DataSet(Nd4j.rand(DataType.FLOAT, 32, 6), labels);
        RunConfig config = RunConfig.from(Settings.defaults().with(keys, "test"));
        Path dir = TinyRuns.newFolder(name).resolve("run");
        RunDirectory run = RunDirectory.create(dir.toString(), HADOOP);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        RebuildReport report = new RebuildStep(config.rebuild(), run, new PrintStream(printed, true,
                StandardCharsets.UTF_8)).run(base, masked, layout, mask, new RebuildStep.Data(data, data, data, false),
                7, null).report();
        return new Step(run, dir, report, printed.toString(StandardCharsets.UTF_8));
    }
}
