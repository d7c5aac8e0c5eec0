package io.evoprune.mask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.model.Network;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class MaskApplierTest {
    @Test
    void keptParametersAreCountedPastFloatPrecision() {
        long n = (1L << 24) + 3; // a float sum of ones stops at 2^24
        assertEquals(n, MaskApplier.keptParameters(Nd4j.ones(org.nd4j.linalg.api.buffer.DataType.FLOAT, n)));
    }


    /** Sum of |x|, exactly 0 when pruned. */
    private static double abs(INDArray x) {
        return x.dup().norm1Number().doubleValue();
    }

    static double abs(INDArray x, int dim, long from, long to) {
        return MaskApplierTestSupport.abs(x, dim, from, to);
    }

    @Test
    void aPrunedFilterOfTheGraphIsGoneFromEveryConsumer() {
        Network net = Network.init(TestNetworks.branch(3));
        // DL4J initialises biases and beta to 0: without a value of their own, "0 after apply" would prove nothing.
        net.param("c0", "b").assign(0.5);
        net.param("bn", "beta").assign(0.25);
        PrunableLayout layout = PrunableLayout.of(net.configuration(), Granularity.FILTER);
        // Prune c0 filter 1, the tied ca+cc channel 2 and cb channel 0.
        Mask mask = Mask.parse("1011" + "110" + "01");
        MaskApplier.apply(net, layout, mask);

        assertEquals(0, abs(net.param("c0", "W"), 0, 1, 2));
        assertEquals(0, net.param("c0", "b").getDouble(1));
        for (String reader : List.of("ca", "cb", "cc")) {
            assertEquals(0, abs(net.param(reader, "W"), 1, 1, 2), reader);
            assertTrue(abs(net.param(reader, "W"), 1, 0, 1) > 0, reader);
        }
        for (String producer : List.of("ca", "cc")) {
            assertEquals(0, abs(net.param(producer, "W"), 0, 2, 3), producer);
        }
        assertEquals(0, net.param("bn", "gamma").getDouble(2));
        assertEquals(0, net.param("bn", "beta").getDouble(3)); // cb's channel 0 is merged channel 3
        assertEquals(0.5, net.param("c0", "b").getDouble(0), 1e-7);
        assertEquals(0.25, net.param("bn", "beta").getDouble(4), 1e-7);
        assertEquals(0, abs(net.param("fc", "W"), 0, 2 * 49, 3 * 49));
        assertEquals(0, abs(net.param("fc", "W"), 0, 3 * 49, 4 * 49));
        assertTrue(abs(net.param("fc", "W"), 0, 4 * 49, 5 * 49) > 0);

        // The pruned channels are exactly zero in the activations, also after batch normalisation.
        Map<String, INDArray> acts = ((ComputationGraph) net.model()).feedForward(Nd4j.rand(5, 784), false);
        assertEquals(0, abs(acts.get("c0"), 1, 1, 2));
        assertEquals(0, abs(acts.get("add"), 1, 2, 3));
        assertEquals(0, abs(acts.get("bn"), 1, 2, 3));
        assertEquals(0, abs(acts.get("bn"), 1, 3, 4));
        assertTrue(abs(acts.get("bn"), 1, 4, 5) > 0);
    }

    @Test
    void unitsThroughNestedMergesArePrunedAtTheirOffsetsInTheOuterConcatenation() {
        // m1 = [a(3) b(2)], m2 = [m1(5) c(4)]: b's unit 1 is input 3 + 1 = 4 of d, c's unit 0 input 5 + 0 = 5.
        Network net = Network.init(new NeuralNetConfiguration.Builder().seed(4).graphBuilder()
                .addInputs("in")
                .addLayer("a", new DenseLayer.Builder().nIn(6).nOut(3).build(), "in")
                .addLayer("b", new DenseLayer.Builder().nIn(6).nOut(2).build(), "in")
                .addLayer("c", new DenseLayer.Builder().nIn(6).nOut(4).build(), "in")
                .addVertex("m1", new MergeVertex(), "a", "b")
                .addVertex("m2", new MergeVertex(), "m1", "c")
                .addLayer("d", new DenseLayer.Builder().nIn(9).nOut(5).build(), "m2")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "d")
                .setOutputs("out").build());
        PrunableLayout layout = PrunableLayout.of(net.configuration(), Granularity.NEURON);
        assertEquals(List.of("a", "b", "c", "d"), layout.segments().stream().map(PrunableLayout.Segment::name).toList());
        int b1 = layout.segment("b").offset() + 1;
        int c0 = layout.segment("c").offset();
        MaskApplier.apply(net, layout, Mask.of(layout.units(), i -> i != b1 && i != c0));
        INDArray d = net.param("d", "W");
        for (int row = 0; row < 9; row++) {
            assertEquals(row == 4 || row == 5, abs(d.getRow(row)) == 0, "d's input " + row);
        }
        assertEquals(0, abs(net.param("b", "W").getColumn(1)));
        assertEquals(0, abs(net.param("c", "W").getColumn(0)));
    }

    @Test
    void weightMasksZeroExactlyTheChosenConnections() {
        Network net = Network.init(TestNetworks.mlp(3));
        PrunableLayout layout = PrunableLayout.of(net.configuration(),
                new MaskSettings(Granularity.WEIGHT, List.of("fc2"), List.of(), 0));
        Mask mask = Mask.of(200, i -> i % 3 != 0);
        INDArray before = net.param("fc2", "W").dup();
        INDArray parameterMask = MaskApplier.apply(net, layout, mask);
        INDArray w = net.param("fc2", "W");
        INDArray flat = Nd4j.toFlattened('f', w); // DL4J keeps dense W column-major in the flat vector
        INDArray flatBefore = Nd4j.toFlattened('f', before);
        for (int i = 0; i < 200; i++) {
            assertEquals(i % 3 != 0 ? flatBefore.getDouble(i) : 0.0, flat.getDouble(i) + 0.0, "weight " + i);
        }
        assertEquals(net.numParams() - 67, parameterMask.sumNumber().longValue());
        assertTrue(abs(net.param("fc1", "W")) > 0);
    }

    @Test
    void aWeightMaskPrunesOnlyItsOwnLayersWeights() {
        // Only the first weight of the second segment (out) is pruned: fc2's parameters, its bias right after its W
        // in the flat vector included, stay as they are.
        Network net = Network.init(TestNetworks.mlp(3));
        PrunableLayout layout = PrunableLayout.of(net.configuration(),
                new MaskSettings(Granularity.WEIGHT, List.of("fc2", "out"), List.of(), 0));
        assertEquals(300, layout.units());
        INDArray parameterMask = MaskApplier.parameterMask(net, layout, Mask.of(300, i -> i != 200));
        assertEquals(net.numParams() - 1, parameterMask.sumNumber().longValue());
        assertEquals(0.0, parameterMask.getDouble(MaskApplier.paramStart(net, "out", "W")));
    }

    @Test
    void neuronMasksOfTheChainMatchTheOldBehaviour() {
        Network net = Network.init(TestNetworks.mlp(3));
        PrunableLayout layout = PrunableLayout.of(net.configuration(), Granularity.NEURON);
        Mask mask = Mask.of(30, i -> i != 4 && i != 25);
        MaskApplier.apply(net, layout, mask);
        assertEquals(0, abs(net.param("fc1", "W").getColumn(4)));
        assertEquals(0, abs(net.param("fc2", "W").getRow(4)));
        assertEquals(0, abs(net.param("fc2", "W").getColumn(5)));
        assertEquals(0, abs(net.param("out", "W").getRow(5)));
        assertTrue(abs(net.param("out", "W").getRow(6)) > 0);
    }

    @Test
    void applyingAMaskOfTheWrongLengthIsRefusedNamingTheLayers() {
        Network net = Network.init(TestNetworks.mlp(3));
        PrunableLayout layout = PrunableLayout.of(net.configuration(), Granularity.NEURON);
        var e = assertThrows(IllegalArgumentException.class,
                () -> MaskApplier.apply(net, layout, Mask.allKept(31)));
        assertEquals("The mask to apply holds a mask of 31 bits, but the network has 30 prunable neurons"
                + " (20 in fc1 + 10 in fc2)", e.getMessage());
    }

    @Test
    void aPrunedNeuronLosesItsBiasAndAKeptOneKeepsIt() {
        Network net = Network.init(TestNetworks.mlp(3));
        // DL4J initialises biases to 0: give them a value, or "the bias is 0 after pruning" proves nothing
        net.param("fc1", "b").assign(0.5);
        net.param("fc2", "b").assign(0.25);
        PrunableLayout layout = PrunableLayout.of(net.configuration(), Granularity.NEURON);
        MaskApplier.apply(net, layout, Mask.of(30, i -> i != 4 && i != 25));
        assertEquals(0.0, net.param("fc1", "b").getDouble(4));
        assertEquals(0.0, net.param("fc2", "b").getDouble(5));
        assertEquals(0.5, net.param("fc1", "b").getDouble(3), 1e-7);
        assertEquals(0.25, net.param("fc2", "b").getDouble(6), 1e-7);
    }

    @Test
    void aPrunedFiltersBatchNormStatisticsAreMaskedAndNotCountedAsKept() {
        // conv (3 filters of 3x3 on 4x4) -> batch norm -> dense (2 of 2x2x3 inputs) -> out: pruning filter 1
        // zeroes its 9 weights and bias, its 4 batch-norm entries (gamma, beta, running mean and variance) and
        // the 4 x 2 dense weights that read it. The running statistics count: a rebuilt network drops them too.
        Network net = Network.init(new NeuralNetConfiguration.Builder().seed(2).list()
                .layer(new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(3, 3).name("conv").nOut(3)
                        .activation(Activation.RELU).build())
                .layer(new org.deeplearning4j.nn.conf.layers.BatchNormalization.Builder().name("bn").useLogStd(false)
                        .build())
                .layer(new DenseLayer.Builder().name("fc").nOut(2).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(org.deeplearning4j.nn.conf.inputs.InputType.convolutional(4, 4, 1))
                .build());
        PrunableLayout layout = PrunableLayout.of(net.configuration(), Granularity.FILTER);
        assertEquals(3, layout.units(), layout.describeUnits());
        INDArray m = MaskApplier.parameterMask(net, layout, Mask.parse("101"));
        for (String key : List.of("gamma", "beta", "mean", "var")) {
            long start = MaskApplier.paramStart(net, "bn", key);
            assertEquals(1.0, m.getDouble(start), key + " of kept filter 0");
            assertEquals(0.0, m.getDouble(start + 1), key + " of pruned filter 1");
            assertEquals(1.0, m.getDouble(start + 2), key + " of kept filter 2");
        }
        assertEquals(net.numParams() - (9 + 1 + 4 + 8), MaskApplier.keptParameters(m));
    }
}
