package io.evoprune.rebuild;

import io.evoprune.data.Normalization;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.mask.Granularity;
import io.evoprune.mask.Mask;
import io.evoprune.mask.MaskApplier;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.model.ModelFiles;
import io.evoprune.model.Network;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** A masked MLP rebuilt without its pruned neurons computes the same outputs with fewer parameters. */
class MlpRebuildTest {

    /** 784-300-100-10 with a sigmoid layer (whose pruned units do not output 0) and non-zero biases. */
    static MultiLayerNetwork mlp() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(7)
                .updater(new Adam(1e-3)).list()
                .layer(new DenseLayer.Builder().name("fc1").nIn(784).nOut(300).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(300).nOut(100).activation(Activation.SIGMOID).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nIn(100).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        Nd4j.getRandom().setSeed(11);
        for (int i = 0; i < 3; i++) {
            net.getLayer(i).getParam("b").assign(Nd4j.rand(net.getLayer(i).getParam("b").shape()).subi(0.5));
        }
        return net;
    }

    @Test
    void rebuiltMlpMatchesTheMaskedOneOnTheTestSet() throws Exception {
        MultiLayerNetwork masked = mlp();
        PrunableLayout layout = PrunableLayout.of(masked.getLayerWiseConfigurations(), Granularity.NEURON);
        Random random = new Random(3);
        Mask mask = Mask.of(layout.units(), i -> random.nextDouble() < 0.4);
        MaskApplier.apply(Network.of(masked), layout, mask);

        Rebuilt rebuilt = MaskRebuild.rebuild(Network.of(masked), layout, mask);

        MultiLayerNetwork net = (MultiLayerNetwork) rebuilt.network().model();
        int kept1 = mask.keptCount(0, 300);
        int kept2 = mask.keptCount(300, 400);
        assertEquals(kept1, net.getLayer(0).getParam("W").size(1));
        assertEquals(kept1, net.getLayer(1).getParam("W").size(0));
        assertEquals(kept2, net.getLayer(2).getParam("W").size(0));
        assertEquals(784L * kept1 + kept1 + kept1 * kept2 + kept2 + kept2 * 10L + 10, net.numParams());
        assertEquals("layer1", rebuilt.layers().get(1).name());
        assertEquals(300, rebuilt.layers().get(1).inputsBefore());
        assertEquals(kept1, rebuilt.layers().get(1).inputsAfter());
        assertEquals(((org.deeplearning4j.nn.conf.layers.BaseLayer) masked.getLayerWiseConfigurations().getConf(0).getLayer()).getIUpdater(),
                ((org.deeplearning4j.nn.conf.layers.BaseLayer) net.getLayerWiseConfigurations().getConf(0).getLayer()).getIUpdater(),
                "updater configuration kept");

        Equivalence.Difference diff = Equivalence.of(Network.of(masked), rebuilt.network(), TestData.testFeatures());
        assertTrue(diff.holds(), diff.toString());
    }

    @Test
    void theExportedZipCarriesTheNormaliser() throws Exception {
        org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize normalizer =
                new org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize();
        normalizer.fit(TestData.train(0, 200));
        byte[] zip = ModelFiles.zip(Network.of(mlp()), Normalization.bytes(normalizer));
        org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize restored =
                org.deeplearning4j.util.ModelSerializer.restoreNormalizerFromInputStream(new java.io.ByteArrayInputStream(zip));
        assertEquals(normalizer.getMean(), restored.getMean());
        assertEquals(mlp().numParams(), org.deeplearning4j.util.ModelSerializer.restoreMultiLayerNetwork(
                new java.io.ByteArrayInputStream(zip), false).numParams());
    }

    @Test
    void denseLayersConcatenatedByNestedMergesRebuildToTheSameFunction() {
        // m1 = [a(3) b(2)], m2 = [m1(5) c(4)] read by d: the pruned units of a, b and c are d's inputs 1, 4 and 6..7.
        // Sigmoid units output 0.5 when pruned: only d's zeroed inputs make the masked network the rebuilt one.
        Network masked = ConvRebuildTest.randomised(new NeuralNetConfiguration.Builder().seed(4).graphBuilder()
                .addInputs("in")
                .addLayer("a", new DenseLayer.Builder().nIn(6).nOut(3).activation(Activation.TANH).build(), "in")
                .addLayer("b", new DenseLayer.Builder().nIn(6).nOut(2).activation(Activation.SIGMOID).build(), "in")
                .addLayer("c", new DenseLayer.Builder().nIn(6).nOut(4).activation(Activation.SIGMOID).build(), "in")
                .addVertex("m1", new MergeVertex(), "a", "b")
                .addVertex("m2", new MergeVertex(), "m1", "c")
                .addLayer("d", new DenseLayer.Builder().nIn(9).nOut(5).activation(Activation.RELU).build(), "m2")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "d")
                .setOutputs("out").build());
        PrunableLayout layout = PrunableLayout.of(masked.configuration(), Granularity.NEURON);
        // a keeps 0 and 2, b keeps 0, c keeps 0 and 3, d keeps all but 2 (bits: a 0-2, b 3-4, c 5-8, d 9-13).
        Mask mask = Mask.parse("101" + "10" + "1001" + "11011");
        MaskApplier.apply(masked, layout, mask);
        Rebuilt rebuilt = MaskRebuild.rebuild(masked, layout, mask);
        Equivalence.Difference diff = Equivalence.of(masked, rebuilt.network(), Nd4j.rand(32, 6));
        assertTrue(diff.holds(), diff.toString());
        assertEquals(5, rebuilt.network().param("d", "W").rows(), "d reads the 2 + 1 + 2 kept units");
    }

    @Test
    void allKeptRebuildsAnIdenticalNetwork() {
        MultiLayerNetwork net = mlp();
        PrunableLayout layout = PrunableLayout.of(net.getLayerWiseConfigurations(), Granularity.NEURON);
        Rebuilt rebuilt = MaskRebuild.rebuild(Network.of(net), layout, Mask.allKept(layout.units()));
        assertEquals(net.params(), rebuilt.network().params());
        assertTrue(rebuilt.layers().stream().noneMatch(LayerChange::changed));
    }

    @Test
    void refusesAnEmptiedLayerAndAWrongMaskLength() {
        MultiLayerNetwork net = mlp();
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> NetworkRebuilder.rebuild(net, Map.of(1, new int[0])));
        assertTrue(empty.getMessage().contains("layer1"), empty.getMessage());
        PrunableLayout layout = PrunableLayout.of(net.getLayerWiseConfigurations(), Granularity.NEURON);
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
                () -> MaskRebuild.rebuild(Network.of(net), layout, Mask.allKept(399)));
        assertTrue(length.getMessage().contains("399 bits") && length.getMessage().contains("400"), length.getMessage());
    }
}
