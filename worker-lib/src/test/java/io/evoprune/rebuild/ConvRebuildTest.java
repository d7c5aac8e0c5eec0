package io.evoprune.rebuild;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.mask.Granularity;
import io.evoprune.mask.Mask;
import io.evoprune.mask.MaskApplier;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.mask.TestNetworks;
import io.evoprune.model.Flops;
import io.evoprune.model.Network;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Filter masks rebuilt for real: a CNN with batch normalisation and a dense layer after the convolutions, and a
 * graph whose pruned filters feed several consumers, an elementwise add and a concatenation. The rebuilt
 * networks must compute what the masked ones compute on the whole test set.
 */
@Tag("integration")
class ConvRebuildTest {

    /** Random weights from the seed, and every per-unit vector (biases, batch-norm statistics) made non-trivial. */
    static Network randomised(Object configuration) {
        Network net = Network.init(configuration);
        Nd4j.getRandom().setSeed(5);
        for (String layer : net.layerNames()) {
            for (var e : net.layer(layer).paramTable().entrySet()) {
                INDArray p = e.getValue();
                if (!e.getKey().equals("W")) {
                    p.assign(Nd4j.rand(p.dataType(), p.shape()).addi(0.5));
                }
            }
        }
        return net;
    }

    private static Rebuilt maskAndRebuild(Network masked, PrunableLayout layout, Mask mask) {
        MaskApplier.apply(masked, layout, mask);
        Rebuilt rebuilt = MaskRebuild.rebuild(masked, layout, mask);
        Equivalence.Difference diff = Equivalence.of(masked, rebuilt.network(), TestData.testFeatures());
        assertTrue(diff.holds(), diff.toString());
        return rebuilt;
    }

    @Test
    void lenet5WithBatchNormAndADenseLayerAfterTheConvolutions() {
        Network masked = randomised(TestNetworks.lenet5(1));
        PrunableLayout layout = PrunableLayout.of(masked.configuration(), Granularity.FILTER);
        assertEquals(10, layout.units(), "conv1 (4) and conv2 (6)");
        // conv1 keeps filters 0 and 2; conv2 keeps 1, 2 and 5.
        Set<Integer> kept = Set.of(0, 2, 4 + 1, 4 + 2, 4 + 5);
        Mask mask = Mask.of(10, kept::contains);

        Rebuilt rebuilt = maskAndRebuild(masked, layout, mask);

        Network net = rebuilt.network();
        assertArrayEquals(new long[] {2, 1, 5, 5}, net.param("conv1", "W").shape());
        assertEquals(2, net.param("bn1", "gamma").length());
        assertEquals(2, net.param("bn1", "mean").length());
        assertArrayEquals(new long[] {3, 2, 5, 5}, net.param("conv2", "W").shape());
        // 28 -> conv 24 -> pool 12 -> conv 8 -> pool 4: each kept channel brings 4 * 4 inputs to fc.
        assertArrayEquals(new long[] {3 * 16, 16}, net.param("fc", "W").shape());
        assertEquals(masked.param("conv2", "W").get(org.nd4j.linalg.indexing.NDArrayIndex.point(5),
                org.nd4j.linalg.indexing.NDArrayIndex.point(2)), net.param("conv2", "W").get(
                org.nd4j.linalg.indexing.NDArrayIndex.point(2), org.nd4j.linalg.indexing.NDArrayIndex.point(1)));
        long before = TestData.testFeatures().size(0);
        assertEquals(2000, before, "the whole shipped test set is compared");
        assertTrue(Flops.multiplyAdds(net, TestData.testFeatures().getRows(0))
                < Flops.multiplyAdds(masked, TestData.testFeatures().getRows(0)));
    }

    @Test
    void graphWithABranchRemovesAPrunedFilterFromEveryConsumer() {
        Network masked = randomised(TestNetworks.branch(1));
        PrunableLayout layout = PrunableLayout.of(masked.configuration(), Granularity.FILTER);
        PrunableLayout.Segment c0 = layout.segment("c0");
        PrunableLayout.Segment tied = layout.segment("ca+cc");
        PrunableLayout.Segment cb = layout.segment("cb");
        // c0 keeps 1 and 3 (read by ca, cb and cc); ca and cc keep 0 and 2 (added); cb keeps 1 (concatenated).
        Set<Integer> kept = Set.of(c0.offset() + 1, c0.offset() + 3, tied.offset(), tied.offset() + 2, cb.offset() + 1);
        Mask mask = Mask.of(layout.units(), kept::contains);

        Rebuilt rebuilt = maskAndRebuild(masked, layout, mask);

        Network net = rebuilt.network();
        assertArrayEquals(new long[] {2, 1, 3, 3}, net.param("c0", "W").shape());
        for (String consumer : new String[] {"ca", "cb", "cc"}) {
            assertEquals(2, net.param(consumer, "W").size(1), consumer + " reads c0's two kept filters");
        }
        assertEquals(2, net.param("ca", "W").size(0));
        assertEquals(2, net.param("cc", "W").size(0));
        assertEquals(1, net.param("cb", "W").size(0));
        assertEquals(3, net.param("bn", "gamma").length(), "merge = add (2) + cb (1) channels");
        long spatial = masked.param("fc", "W").size(0) / 5;
        assertEquals(3 * spatial, net.param("fc", "W").size(0));
    }

    @Test
    void aFlattenInItsOwnPreprocessorVertexDropsThePrunedChannelsRows() {
        var conf = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder().seed(3)
                .updater(new org.nd4j.linalg.learning.config.Adam(1e-3)).graphBuilder()
                .addInputs("in")
                .addLayer("c0", new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(5, 5).nOut(6)
                        .activation(org.nd4j.linalg.activations.Activation.RELU).build(), "in")
                .addLayer("pool", new org.deeplearning4j.nn.conf.layers.SubsamplingLayer.Builder(
                        org.deeplearning4j.nn.conf.layers.SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
                        .stride(2, 2).build(), "c0")
                .addVertex("flat", new org.deeplearning4j.nn.conf.graph.PreprocessorVertex(
                        new org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor(12, 12, 6)), "pool")
                .addLayer("fc", new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nIn(864).nOut(10)
                        .activation(org.nd4j.linalg.activations.Activation.RELU).build(), "flat")
                .addLayer("out", new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder().nIn(10).nOut(10)
                        .activation(org.nd4j.linalg.activations.Activation.SOFTMAX).build(), "fc")
                .setOutputs("out")
                .setInputTypes(org.deeplearning4j.nn.conf.inputs.InputType.convolutionalFlat(28, 28, 1))
                .build();
        Network masked = randomised(conf);
        PrunableLayout layout = PrunableLayout.of(masked.configuration(), Granularity.FILTER);
        Rebuilt rebuilt = maskAndRebuild(masked, layout, Mask.of(layout.units(), i -> i % 3 == 0)); // filters 0, 3
        assertArrayEquals(new long[] {2, 1, 5, 5}, rebuilt.network().param("c0", "W").shape());
        assertArrayEquals(new long[] {2 * 144, 10}, rebuilt.network().param("fc", "W").shape());
    }

    @Test
    void aConcatenationWithTheNetworkInputKeepsTheInputsRows() {
        // DenseNet-style: the input's 784 features beside fc1's neurons; the input's width comes from fc1's nIn.
        var conf = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder().seed(3)
                .updater(new org.nd4j.linalg.learning.config.Adam(1e-3)).graphBuilder()
                .addInputs("in")
                .addLayer("fc1", new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nIn(784).nOut(12)
                        .activation(org.nd4j.linalg.activations.Activation.RELU).build(), "in")
                .addVertex("cat", new org.deeplearning4j.nn.conf.graph.MergeVertex(), "in", "fc1")
                .addLayer("fc2", new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nOut(8)
                        .activation(org.nd4j.linalg.activations.Activation.RELU).build(), "cat")
                .addLayer("out", new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder().nOut(10)
                        .activation(org.nd4j.linalg.activations.Activation.SOFTMAX).build(), "fc2")
                .setOutputs("out")
                .setInputTypes(org.deeplearning4j.nn.conf.inputs.InputType.feedForward(784))
                .build();
        Network masked = randomised(conf);
        PrunableLayout layout = PrunableLayout.of(masked.configuration(), Granularity.NEURON);
        PrunableLayout.Segment fc1 = layout.segment("fc1");
        Rebuilt rebuilt = maskAndRebuild(masked, layout,
                Mask.of(layout.units(), u -> u < fc1.offset() || u >= fc1.offset() + fc1.units() || u % 2 == 0));
        assertArrayEquals(new long[] {784, 6}, rebuilt.network().param("fc1", "W").shape());
        assertEquals(784 + 6, rebuilt.network().param("fc2", "W").size(0));
    }

    @Test
    void neuronMasksOnTheCnnShrinkItsDenseLayer() {
        Network masked = randomised(TestNetworks.lenet5(2));
        PrunableLayout layout = PrunableLayout.of(masked.configuration(), Granularity.NEURON);
        Rebuilt rebuilt = maskAndRebuild(masked, layout, Mask.of(layout.units(), i -> i % 4 == 0));
        assertArrayEquals(new long[] {96, 4}, rebuilt.network().param("fc", "W").shape());
        assertArrayEquals(new long[] {4, 10}, rebuilt.network().param("out", "W").shape());
    }

    @Test
    void weightMasksAreNotRebuilt() {
        Network net = randomised(TestNetworks.lenet5(3));
        PrunableLayout layout = PrunableLayout.of(net.configuration(), Granularity.WEIGHT);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MaskRebuild.rebuild(net, layout, Mask.allKept(layout.units())));
        assertTrue(e.getMessage().contains("no dense rebuild is possible"), e.getMessage());
    }
}
