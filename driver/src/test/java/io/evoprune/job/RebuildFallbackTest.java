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
import java.util.Map;
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

/**
 * A finished search always ends in a usable model: where the rebuild cannot follow the mask, the masked network is
 * exported instead, with the reason, rather than the run failing after its search.
 */
class RebuildFallbackTest {
    private static final Configuration HADOOP = new Configuration();

    @Test
    void exportsTheMaskedNetworkWithTheReasonWhenTheRebuildRefuses() throws Exception {
        MultiLayerNetwork mln = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5).updater(new Sgd(0.01))
                .list()
                .layer(new DenseLayer.Builder().name("fc1").nIn(6).nOut(8).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().name("fc2").nIn(8).nOut(4).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nIn(4).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build());
        mln.init();
        Network base = Network.of(mln);
        PrunableLayout layout = PrunableLayout.of(mln.getLayerWiseConfigurations(), Granularity.NEURON);
        // fc2 emptied: the search's repair and a mask file's check never let this through, so it stands for any
        // layout the rebuild cannot follow
        Mask mask = Mask.of(layout.units(), i -> i < 8);
        Network masked = Network.create(base.configuration(), base.params());
        MaskApplier.apply(masked, layout, mask);

        Nd4j.getRandom().setSeed(1);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 64, 3);
        for (int i = 0; i < 64; i++) {
            labels.putScalar(i, i % 3, 1);
        }
        DataSet data = new DataSet(Nd4j.rand(DataType.FLOAT, 64, 6), labels);
        RunConfig config = RunConfig.from(Settings.defaults().with(Map.of("rebuild.recovery.epochs", "1"), "test"));
        Path dir = TinyRuns.newFolder("fallback").resolve("run");
        RunDirectory run = RunDirectory.create(dir.toString(), HADOOP);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        RebuildReport report = new RebuildStep(config.rebuild(), run, new PrintStream(printed, true, StandardCharsets.UTF_8))
                .run(base, masked, layout, mask, new RebuildStep.Data(data, data, data, false), 7, null).report();

        String console = printed.toString(StandardCharsets.UTF_8);
        assertTrue(console.contains("cannot be rebuilt smaller") && console.contains("fc2"), console);
        assertFalse(report.rebuiltSmaller());
        assertTrue(report.note().contains("would keep no units"), report.note());
        assertFalse(run.exists(RebuildStep.MODEL));
        JsonNode json = TinyRuns.json(dir.resolve("rebuild.json"));
        assertFalse(json.get("rebuiltSmaller").asBoolean());
        assertTrue(json.get("recovery").has("testAfter"), json.toString());

        // the export is the masked network after recovery, its pruned units still zero
        Network exported = ModelFiles.load(dir.resolve(RebuildStep.MASKED_MODEL).toString(), HADOOP);
        assertEquals(0.0, exported.param("fc2", "W").amaxNumber().doubleValue());
        assertEquals(0.0, exported.param("fc2", "b").amaxNumber().doubleValue());
        assertTrue(exported.param("fc1", "W").amaxNumber().doubleValue() > 0);
    }
}
