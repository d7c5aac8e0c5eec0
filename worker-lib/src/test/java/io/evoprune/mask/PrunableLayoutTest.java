package io.evoprune.mask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class PrunableLayoutTest {

    @Test
    void filtersOfAChainReachBatchNormAndTheFlattenedDenseInputs() {
        PrunableLayout layout = PrunableLayout.of(TestNetworks.lenet5(1), Granularity.FILTER);
        assertEquals(List.of("conv1", "conv2"), layout.segments().stream().map(PrunableLayout.Segment::name).toList());
        PrunableLayout.Segment conv1 = layout.segment("conv1");
        assertEquals(4, conv1.units());
        assertEquals(List.of(new PrunableLayout.Follower("bn1", 0)), conv1.followers());
        assertEquals(List.of(new PrunableLayout.Input("conv2", PrunableLayout.InputKind.CONV_CHANNELS, 0, 4, 0, false)),
                conv1.consumers());
        PrunableLayout.Segment conv2 = layout.segment("conv2");
        assertEquals(4, conv2.offset());
        // 28 -5+1 = 24, pool 12, -5+1 = 8, pool 4: each of conv2's channels is 16 rows of fc's weights.
        PrunableLayout.Input fc = conv2.consumers().get(0);
        assertEquals(new PrunableLayout.Input("fc", PrunableLayout.InputKind.DENSE_ROWS, 0, 6, 16, false), fc);
        assertEquals(32, fc.start(2));
        assertEquals(1, fc.stride());
        assertEquals(10, layout.units());
    }

    @Test
    void graphFiltersReachEveryConsumerAndTieElementwiseInputs() {
        PrunableLayout layout = PrunableLayout.of(TestNetworks.branch(1), Granularity.FILTER);
        assertEquals(List.of("c0", "ca+cc", "cb"), layout.segments().stream().map(PrunableLayout.Segment::name).toList());
        PrunableLayout.Segment c0 = layout.segment("c0");
        assertEquals(List.of("ca", "cb", "cc"), c0.consumers().stream().map(PrunableLayout.Input::layer).toList());
        PrunableLayout.Segment tied = layout.segment("ca+cc");
        assertEquals(List.of("ca", "cc"), tied.producers());
        assertEquals(3, tied.units());
        assertEquals(List.of(new PrunableLayout.Follower("bn", 0)), tied.followers());
        PrunableLayout.Segment cb = layout.segment("cb");
        assertEquals(List.of(new PrunableLayout.Follower("bn", 3)), cb.followers());
        // 28 -> 14 (stride 2, same) -> pool 7: a channel is 49 rows; cb's channels follow the 3 of the sum.
        assertEquals(new PrunableLayout.Input("fc", PrunableLayout.InputKind.DENSE_ROWS, 3, 5, 49, false),
                cb.consumers().get(0));
        assertEquals(4 + 3 + 2, layout.units());
    }

    @Test
    void neuronsOfAnMlpAndWeightsOfSelectedLayers() {
        PrunableLayout neurons = PrunableLayout.of(TestNetworks.mlp(1), Granularity.NEURON);
        assertEquals(30, neurons.units());
        assertEquals("fc2", neurons.segment("fc1").consumers().get(0).layer());
        PrunableLayout weights = PrunableLayout.of(TestNetworks.mlp(1),
                new MaskSettings(Granularity.WEIGHT, List.of(), List.of("out"), 0));
        assertEquals(784 * 20 + 20 * 10, weights.units());
        PrunableLayout convWeights = PrunableLayout.of(TestNetworks.lenet5(1),
                new MaskSettings(Granularity.WEIGHT, List.of("conv2"), List.of(), 0));
        assertEquals(6 * 4 * 5 * 5, convWeights.units());
    }

    @Test
    void aMaskOfTheWrongLengthIsRefusedNamingItsSourceAndTheLayers() {
        PrunableLayout neurons = PrunableLayout.of(TestNetworks.mlp(1), Granularity.NEURON);
        neurons.requireFits(Mask.allKept(30), "best.mask");
        String m = assertThrows(IllegalArgumentException.class,
                () -> neurons.requireFits(Mask.allKept(29), "best.mask")).getMessage();
        assertEquals("best.mask holds a mask of 29 bits, but the network has 30 prunable neurons (20 in fc1 + 10 in fc2)",
                m);
    }

    @Test
    void unnamedLayersOfAChainAreNamedByIndex() {
        var conf = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder().list()
                .layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nIn(4).nOut(3).build())
                .layer(new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder().nIn(3).nOut(2).build())
                .build();
        PrunableLayout layout = PrunableLayout.of(conf, Granularity.NEURON);
        assertEquals(List.of("layer0"), layout.segments().stream().map(PrunableLayout.Segment::name).toList());
        assertEquals("layer1", layout.segment("layer0").consumers().get(0).layer());
    }

    @Test
    void includeAndExcludeChooseLayers() {
        PrunableLayout onlyConv2 = PrunableLayout.of(TestNetworks.lenet5(1),
                new MaskSettings(Granularity.FILTER, List.of("conv2"), List.of(), 0));
        assertEquals(List.of("conv2"), onlyConv2.segments().stream().map(PrunableLayout.Segment::name).toList());
        assertEquals(0, onlyConv2.segment("conv2").offset());
        PrunableLayout notConv1 = PrunableLayout.of(TestNetworks.lenet5(1),
                new MaskSettings(Granularity.FILTER, List.of(), List.of("conv1"), 0));
        assertEquals(6, notConv1.units());
        var unknown = assertThrows(IllegalArgumentException.class, () -> PrunableLayout.of(TestNetworks.lenet5(1),
                new MaskSettings(Granularity.FILTER, List.of("conv9"), List.of(), 0)));
        assertTrue(unknown.getMessage().contains("mask.layers.include names 'conv9'"), unknown.getMessage());
    }

    @Test
    void unsupportedLayersAreNamedWithTheGranularity() {
        var dense = assertThrows(IllegalArgumentException.class, () -> PrunableLayout.of(TestNetworks.lenet5(1),
                new MaskSettings(Granularity.FILTER, List.of("fc"), List.of(), 0)));
        assertEquals("Layer 'fc' cannot be pruned at granularity 'filter': DenseLayer is not a 2-D ConvolutionLayer"
                + " (key mask.layers.include)", dense.getMessage());
        var lstm = assertThrows(IllegalArgumentException.class,
                () -> PrunableLayout.of(TestNetworks.withLstm(1), Granularity.NEURON));
        assertTrue(lstm.getMessage().startsWith("Layer 'lstm' (LSTM) reshapes the units of layer 'fc1' with"
                + " FeedForwardToRnnPreProcessor, which granularity 'neuron' cannot follow"), lstm.getMessage());
        var noConv = assertThrows(IllegalArgumentException.class,
                () -> PrunableLayout.of(TestNetworks.mlp(1), Granularity.FILTER));
        assertTrue(noConv.getMessage().startsWith("No layer of the network can be pruned at granularity 'filter';"
                + " the network's layers are ["), "no empty key=value: " + noConv.getMessage());
        var noneLeft = assertThrows(IllegalArgumentException.class, () -> PrunableLayout.of(TestNetworks.lenet5(1),
                new MaskSettings(Granularity.FILTER, List.of(), List.of("conv1", "conv2"), 0)));
        assertTrue(noneLeft.getMessage().contains("granularity 'filter' with mask.layers.exclude=conv1,conv2;"),
                noneLeft.getMessage());
    }

    private static org.deeplearning4j.nn.conf.MultiLayerConfiguration mixing(boolean layerNorm, Activation fc1,
                                                                              Activation after) {
        var list = new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().name("fc1").nOut(8).hasLayerNorm(layerNorm).activation(fc1).build());
        if (after != null) {
            list.layer(new ActivationLayer.Builder().name("act").activation(after).build());
        }
        return list.layer(new DenseLayer.Builder().name("fc2").nOut(6).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(5)).build();
    }

    @Test
    void unitsThatStillReachTheKeptOnesWhenPrunedAreRefused() {
        // Layer normalisation and softmax mix every unit into each kept one: masked would not equal rebuilt.
        var norm = assertThrows(IllegalArgumentException.class, () -> PrunableLayout.of(mixing(true, Activation.RELU,
                null), new MaskSettings(Granularity.NEURON, List.of("fc1"), List.of(), 0)));
        assertTrue(norm.getMessage().contains("Layer 'fc1' cannot be pruned at granularity 'neuron': its layer"
                + " normalisation mixes all its units"), norm.getMessage());
        var softmax = assertThrows(IllegalArgumentException.class, () -> PrunableLayout.of(mixing(false,
                Activation.SOFTMAX, null), new MaskSettings(Granularity.NEURON, List.of("fc1"), List.of(), 0)));
        assertTrue(softmax.getMessage().contains("its softmax activation mixes all its units"), softmax.getMessage());
        var layer = assertThrows(IllegalArgumentException.class, () -> PrunableLayout.of(mixing(false,
                Activation.IDENTITY, Activation.SOFTMAX), Granularity.NEURON));
        assertTrue(layer.getMessage().startsWith("Layer 'act' (ActivationLayer) applies a softmax across the units of"
                + " layer 'fc1'"), layer.getMessage());
        // Without an include list such a layer is simply not a candidate; the others still are.
        assertEquals(6, PrunableLayout.of(mixing(true, Activation.RELU, null), Granularity.NEURON).units());
        assertEquals(14, PrunableLayout.of(mixing(false, Activation.RELU, Activation.RELU), Granularity.NEURON).units());
    }

    @Test
    void aChannelsLastConcatenationIsRefusedBeforeAnySearch() {
        // DL4J makes a MergeVertex of NHWC maps concatenate along axis 3, which the rebuild does not follow.
        var nhwc = org.deeplearning4j.nn.conf.CNN2DFormat.NHWC;
        var conf = new NeuralNetConfiguration.Builder().graphBuilder().addInputs("in")
                .addLayer("ca", new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(3, 3).nOut(4)
                        .dataFormat(nhwc).build(), "in")
                .addLayer("cb", new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(3, 3).nOut(4)
                        .dataFormat(nhwc).build(), "in")
                .addVertex("merge", new org.deeplearning4j.nn.conf.graph.MergeVertex(), "ca", "cb")
                .addLayer("c2", new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(3, 3).nOut(5)
                        .dataFormat(nhwc).build(), "merge")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "c2")
                .setOutputs("out").setInputTypes(InputType.convolutional(10, 10, 1, nhwc)).build();
        var e = assertThrows(IllegalArgumentException.class, () -> PrunableLayout.of(conf, Granularity.FILTER));
        assertTrue(e.getMessage().startsWith("Merge vertex 'merge' concatenates along axis 3"), e.getMessage());
        assertEquals(5, PrunableLayout.of(conf, new MaskSettings(Granularity.FILTER, List.of(), List.of("ca", "cb"), 0))
                .units(), "excluding the merged convolutions leaves c2");
    }

    @Test
    void aTieWithAnUnprunedInputIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> PrunableLayout.of(TestNetworks.branch(1),
                new MaskSettings(Granularity.FILTER, List.of(), List.of("cc"), 0)));
        assertTrue(e.getMessage().contains("Vertex 'add' (ElementWiseVertex) combines the output of pruned layer 'ca'"
                + " with input 'cc'"), e.getMessage());
    }
}
