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

        double diff = Equivalence.maxAbsDifference(Network.of(masked), rebuilt.network(), TestData.testFeatures());
        assertTrue(diff < Equivalence.BOUND, "max |rebuilt - masked| = " + diff);
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
