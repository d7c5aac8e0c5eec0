package io.evoprune.importance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.mask.Granularity;
import io.evoprune.mask.LayerGraph;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.mask.TestNetworks;
import io.evoprune.model.Network;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The criteria on filters of LeNet-5 with batch norm (conv1: 4 filters, conv2: 6) and on a ComputationGraph, each
 * against the same quantity read straight from the layers' arrays.
 */
class FilterImportanceTest {
    private final Network net = Network.init(TestNetworks.lenet5(11));
    private final PrunableLayout layout = PrunableLayout.of(net.configuration(), Granularity.FILTER);

    private static DataSet sample(int n) {
        return TestNetworks.randomData(n, 3);
    }

    private double[] score(Network network, PrunableLayout units, Criterion c) {
        return Importance.score(c, network, units, sample(12), 5, 7).scores();
    }

    /** Slice f of a 4-d array along dimension 0 (a filter) or 1 (an input channel), flattened; copies, because
     *  ND4J M2.1's 4-d view indexing misbehaves (see ParamView). */
    private static INDArray filter(INDArray w, int f) {
        return w.dup('c').reshape(w.size(0), -1).getRow(f);
    }

    private static INDArray inputChannel(INDArray w, int c) {
        return w.permute(1, 0, 2, 3).dup('c').reshape(w.size(1), -1).getRow(c);
    }

    private static double absSum(INDArray a) {
        return Transforms.abs(a, true).sumNumber().doubleValue();
    }

    @Test
    void l1IsTheNormOfTheFiltersKernel() {
        double[] l1 = score(net, layout, Criterion.L1);
        for (int f = 0; f < 4; f++) {
            assertEquals(absSum(filter(net.param("conv1", "W"), f)), l1[f], 1e-4);
        }
        for (int f = 0; f < 6; f++) {
            assertEquals(absSum(filter(net.param("conv2", "W"), f)), l1[4 + f], 1e-4);
        }
    }

    @Test
    void magnitudeAveragesKernelBiasBatchNormScaleAndShiftAndTheConsumersInputs() {
        net.param("bn1", "gamma").assign(Nd4j.createFromArray(0.5f, 2f, 1f, 3f).reshape(1, 4));
        net.param("bn1", "mean").assign(100); // a running statistic: not part of the unit's magnitude
        double[] magnitude = score(net, layout, Criterion.MAGNITUDE);
        for (int f = 0; f < 4; f++) {
            double sum = absSum(filter(net.param("conv1", "W"), f)) + Math.abs(net.param("conv1", "b").getDouble(f))
                    + Math.abs(net.param("bn1", "gamma").getDouble(f)) + Math.abs(net.param("bn1", "beta").getDouble(f))
                    + absSum(inputChannel(net.param("conv2", "W"), f));
            assertEquals(sum / (25 + 1 + 2 + 6 * 25), magnitude[f], 1e-6, "conv1 filter " + f);
        }
    }

    @Test
    void activationAndApozAverageEachChannelOverExamplesAndPositions() {
        DataSet data = sample(12);
        INDArray conv2 = ((MultiLayerNetwork) net.model()).feedForward(data.getFeatures(), false).get(5); // conv2 out
        assertArrayEquals(new long[] {12, 6, 8, 8}, conv2.shape());
        double[] activation = score(net, layout, Criterion.ACTIVATION);
        double[] apoz = score(net, layout, Criterion.APOZ);
        for (int f = 0; f < 6; f++) {
            INDArray channel = inputChannel(conv2, f);
            assertEquals(channel.meanNumber().doubleValue(), activation[4 + f], 1e-5, "conv2 filter " + f);
            assertEquals(channel.neq(0).castTo(DataType.DOUBLE).meanNumber().doubleValue(), apoz[4 + f], 1e-9);
        }
        assertTrue(java.util.Arrays.stream(apoz).anyMatch(v -> v > 0 && v < 1), "ReLU zeroes some positions");

        // conv1 has identity activation and feeds bn1 -> relu1: it is scored on relu1's output, not its own
        // (which is almost never exactly zero, so every conv1 filter scored 1).
        INDArray relu1 = ((MultiLayerNetwork) net.model()).feedForward(data.getFeatures(), false).get(3);
        for (int f = 0; f < 4; f++) {
            INDArray channel = inputChannel(relu1, f);
            assertEquals(channel.neq(0).castTo(DataType.DOUBLE).meanNumber().doubleValue(), apoz[f], 1e-9, "conv1 " + f);
            assertEquals(channel.meanNumber().doubleValue(), activation[f], 1e-5, "conv1 filter " + f);
        }
        assertTrue(apoz[0] < 1 || apoz[1] < 1 || apoz[2] < 1 || apoz[3] < 1, java.util.Arrays.toString(apoz));
        LayerGraph graph = LayerGraph.of(net.configuration());
        assertEquals("relu1", Importance.observed(graph, "conv1"));
        assertEquals("conv2", Importance.observed(graph, "conv2"), "the next layer is a pooling layer");
        // A unit with its own ReLU followed by batch norm is observed on the ReLU: the batch norm's shift would
        // make every output nonzero.
        var reluThenNorm = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder().list()
                .layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().name("fc1").nOut(8)
                        .activation(org.nd4j.linalg.activations.Activation.RELU).build())
                .layer(new org.deeplearning4j.nn.conf.layers.BatchNormalization.Builder().name("bn")
                        .activation(org.nd4j.linalg.activations.Activation.IDENTITY).build())
                .layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().name("fc2").nOut(4).build())
                .layer(new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder().name("out").nOut(2).build())
                .setInputType(org.deeplearning4j.nn.conf.inputs.InputType.feedForward(5)).build();
        assertEquals("fc1", Importance.observed(LayerGraph.of(reluThenNorm), "fc1"));
    }

    @Test
    void aGraphScoresLikeTheSameLayersAsAMultiLayerNetwork() {
        // conv1 -> ... -> out as a ComputationGraph of one chain: the same parameters in the same order.
        MultiLayerConfiguration chain = TestNetworks.lenet5(11);
        var builder = new NeuralNetConfiguration.Builder().seed(11).graphBuilder().addInputs("in");
        String previous = "in";
        for (var layer : chain.getConfs()) {
            builder.addLayer(layer.getLayer().getLayerName(), layer.getLayer().clone(), previous);
            previous = layer.getLayer().getLayerName();
        }
        var graphConf = builder.setOutputs(previous)
                .setInputTypes(org.deeplearning4j.nn.conf.inputs.InputType.convolutionalFlat(28, 28, 1)).build();
        Network graph = Network.create(graphConf, net.params());
        PrunableLayout graphLayout = PrunableLayout.of(graphConf, Granularity.FILTER);
        INDArray before = graph.params().dup();
        for (Criterion c : List.of(Criterion.MAGNITUDE, Criterion.L1, Criterion.TAYLOR, Criterion.ACTIVATION,
                Criterion.APOZ)) {
            assertArrayEquals(score(net, layout, c), score(graph, graphLayout, c), 1e-4, c.configName());
        }
        assertEquals(before, graph.params(), "scoring changes no parameter, batch-norm statistics included");
        assertTrue(java.util.Arrays.stream(score(graph, graphLayout, Criterion.TAYLOR)).allMatch(v -> v > 0));
    }

    @Test
    void filtersTiedByAnElementwiseAddAreScoredOverBothProducers() {
        Network graph = Network.init(TestNetworks.branch(4));
        PrunableLayout units = PrunableLayout.of(graph.configuration(), Granularity.FILTER);
        PrunableLayout.Segment tied = units.segment("ca+cc");
        double[] l1 = score(graph, units, Criterion.L1);
        for (int u = 0; u < tied.units(); u++) {
            assertEquals(absSum(filter(graph.param("ca", "W"), u)) + absSum(filter(graph.param("cc", "W"), u)),
                    l1[tied.offset() + u], 1e-4, "ca+cc filter " + u);
        }
        for (Criterion c : Criterion.values()) {
            double[] scores = score(graph, units, c);
            assertEquals(units.units(), scores.length);
            assertTrue(java.util.Arrays.stream(scores).allMatch(Double::isFinite), c.configName());
        }
    }

    @Test
    void singleWeightTaylorRunsOnAGraph() {
        Network graph = Network.init(TestNetworks.branch(2));
        PrunableLayout weights = PrunableLayout.of(graph.configuration(), Granularity.WEIGHT);
        double[] taylor = Importance.score(Criterion.TAYLOR, graph, weights, sample(6), 3, 7).scores();
        assertEquals(weights.units(), taylor.length);
        assertTrue(java.util.Arrays.stream(taylor).filter(v -> v > 0).count() > taylor.length / 2);
    }
}
