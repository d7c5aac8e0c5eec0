package io.evoprune.mask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.model.Trainer;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Masks on a real DL4J network: the right parameters go to zero, and stay exactly zero through training. */
@Tag("integration")
class MaskApplierTest {

    private static MultiLayerNetwork network(Activation hidden) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(7).updater(new Adam(0.01)).list()
                .layer(new DenseLayer.Builder().nIn(12).nOut(8).activation(hidden).build())
                .layer(new DenseLayer.Builder().nIn(8).nOut(6).activation(hidden).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(6).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static DataSet data() {
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 256, 12);
        INDArray y = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 256, 3);
        for (int i = 0; i < 256; i++) {
            y.putScalar(i, i % 3, 1);
        }
        return new DataSet(x, y);
    }

    @Test
    void layoutCoversHiddenLayersOnly() {
        PrunableLayout layout = PrunableLayout.of(network(Activation.RELU).getLayerWiseConfigurations(), Granularity.NEURON);
        assertEquals(List.of(new PrunableLayout.Segment(0, "layer0", 8, 0, 1),
                new PrunableLayout.Segment(1, "layer1", 6, 8, 2)), layout.segments());
        assertEquals(14, layout.units());
    }

    @Test
    void prunedUnitsLoseIncomingWeightsBiasAndOutgoingWeights() {
        MultiLayerNetwork net = network(Activation.RELU);
        PrunableLayout layout = PrunableLayout.of(net.getLayerWiseConfigurations(), Granularity.NEURON);
        Mask mask = Mask.of(14, i -> i != 2 && i != 8 + 5);
        MaskApplier.apply(net, layout, mask);

        assertPruned(net, 0, 2);
        assertPruned(net, 1, 5);
        // A kept unit keeps its weights.
        assertNotEquals(0.0, net.getLayer(0).getParam("W").getColumn(3).norm1Number().doubleValue());
        // Pruned: unit 2 of layer 0 (12 in + 1 bias + 6 out) and unit 5 of layer 1 (8 in + 1 bias + 3 out),
        // less the one weight between them that both claim.
        INDArray pm = MaskApplier.parameterMask(net, layout, mask);
        assertEquals(net.numParams() - (19 + 12 - 1), pm.sumNumber().longValue());
    }

    @Test
    void prunedWeightsStayExactlyZeroThroughFineTuning() {
        // Sigmoid units get non-zero gradients even when pruned: only enforcement keeps them at zero.
        for (Activation activation : new Activation[] {Activation.RELU, Activation.SIGMOID}) {
            MultiLayerNetwork net = network(activation);
            PrunableLayout layout = PrunableLayout.of(net.getLayerWiseConfigurations(), Granularity.NEURON);
            Mask mask = Mask.of(14, i -> i % 2 == 0);
            INDArray parameterMask = MaskApplier.apply(net, layout, mask);
            INDArray before = net.params().dup();
            net.setListeners(new MaskEnforcer(parameterMask));
            Trainer.fit(net, data(), 3, 32, 0, 11);

            INDArray pruned = net.params().mul(parameterMask.rsub(1)); // only the pruned positions
            assertEquals(0.0, pruned.amaxNumber().doubleValue(), 0.0, activation + ": pruned weights moved");
            assertTrue(net.params().sub(before).amaxNumber().doubleValue() > 1e-4, activation + ": no training happened");
        }
    }

    @Test
    void withoutEnforcementSigmoidRevivesPrunedWeights() {
        // The reason MaskEnforcer exists: this must fail to stay zero.
        MultiLayerNetwork net = network(Activation.SIGMOID);
        PrunableLayout layout = PrunableLayout.of(net.getLayerWiseConfigurations(), Granularity.NEURON);
        INDArray parameterMask = MaskApplier.apply(net, layout, Mask.of(14, i -> i % 2 == 0));
        Trainer.fit(net, data(), 1, 32, 0, 11);
        assertTrue(net.params().mul(parameterMask.rsub(1)).amaxNumber().doubleValue() > 0);
    }

    @Test
    void maskOfWrongLengthIsRejected() {
        MultiLayerNetwork net = network(Activation.RELU);
        PrunableLayout layout = PrunableLayout.of(net.getLayerWiseConfigurations(), Granularity.NEURON);
        var e = assertThrows(IllegalArgumentException.class, () -> MaskApplier.apply(net, layout, Mask.allKept(13)));
        assertTrue(e.getMessage().contains("13 bits") && e.getMessage().contains("14 prunable units"), e.getMessage());
    }

    private static void assertPruned(MultiLayerNetwork net, int layer, int unit) {
        assertEquals(0.0, net.getLayer(layer).getParam("W").getColumn(unit).amaxNumber().doubleValue(), 0.0);
        assertEquals(0.0, net.getLayer(layer).getParam("b").getDouble(unit), 0.0);
        assertEquals(0.0, net.getLayer(layer + 1).getParam("W").getRow(unit).amaxNumber().doubleValue(), 0.0);
    }
}
