package io.evoprune.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.config.RunConfig;
import io.evoprune.config.Settings;
import io.evoprune.mask.Granularity;
import io.evoprune.mask.Mask;
import io.evoprune.mask.MaskApplier;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.model.Network;
import io.evoprune.report.RunDirectory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
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

/** What a rebuild prints on the console. */
class RebuildStepTest {
    @Test
    void theConsoleHasNoBarePrefixLinesAndTheMeasurementTableLinesUp() throws Exception {
        MultiLayerNetwork mln = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5).updater(new Sgd(0.01))
                .list()
                .layer(new DenseLayer.Builder().name("fc1").nIn(6).nOut(8).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nIn(8).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build());
        mln.init();
        Network base = Network.of(mln);
        PrunableLayout layout = PrunableLayout.of(mln.getLayerWiseConfigurations(), Granularity.NEURON);
        Mask mask = Mask.of(layout.units(), i -> i % 2 == 0);
        Network masked = Network.create(base.configuration(), base.params());
        MaskApplier.apply(masked, layout, mask);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 32, 3);
        for (int i = 0; i < 32; i++) {
            labels.putScalar(i, i % 3, 1);
        }
        Nd4j.getRandom().setSeed(1);
        DataSet data = new DataSet(Nd4j.rand(DataType.FLOAT, 32, 6), labels);
        RunConfig config = RunConfig.from(Settings.defaults().with(Map.of("rebuild.recovery.epochs", "0",
                "rebuild.measure.batch-size", "32", "rebuild.measure.warmup", "1", "rebuild.measure.repeats", "3"),
                "test"));
        RunDirectory run = RunDirectory.create(TinyRuns.newFolder("rebuild").resolve("run").toString(),
                new Configuration());
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        new RebuildStep(config.rebuild(), run, new PrintStream(printed, true, StandardCharsets.UTF_8))
                .run(base, masked, layout, mask, new RebuildStep.Data(data, data, data, false), 7, null);

        List<String> console = printed.toString(StandardCharsets.UTF_8).lines().toList();
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
}
