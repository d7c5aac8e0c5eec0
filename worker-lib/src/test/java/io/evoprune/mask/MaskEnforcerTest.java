package io.evoprune.mask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.model.Network;
import io.evoprune.model.Trainer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Pruned weights stay exactly zero through real training, and only because the enforcer holds them. */
@Tag("integration")
class MaskEnforcerTest {

    private static Network network(Activation hidden) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(7).updater(new Adam(0.01)).list()
                .layer(new DenseLayer.Builder().name("h1").nIn(12).nOut(8).activation(hidden).build())
                .layer(new DenseLayer.Builder().name("h2").nIn(8).nOut(6).activation(hidden).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nIn(6).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build();
        return Network.init(conf);
    }

    private static DataSet data() {
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, 256, 12);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 256, 3);
        for (int i = 0; i < 256; i++) {
            y.putScalar(i, i % 3, 1);
        }
        return new DataSet(x, y);
    }

    @Test
    void prunedUnitsLoseIncomingWeightsBiasAndOutgoingWeights() {
        Network net = network(Activation.RELU);
        PrunableLayout layout = PrunableLayout.of(net.configuration(), Granularity.NEURON);
        Mask mask = Mask.of(14, i -> i != 2 && i != 8 + 5);
        INDArray parameterMask = MaskApplier.apply(net, layout, mask);
        assertEquals(0.0, net.param("h1", "W").getColumn(2).amaxNumber().doubleValue(), 0.0);
        assertEquals(0.0, net.param("h1", "b").getDouble(2), 0.0);
        assertEquals(0.0, net.param("h2", "W").getRow(2).amaxNumber().doubleValue(), 0.0);
        assertEquals(0.0, net.param("out", "W").getRow(5).amaxNumber().doubleValue(), 0.0);
        // Pruned: unit 2 of h1 (12 in + 1 bias + 6 out) and unit 5 of h2 (8 in + 1 bias + 3 out), less the one
        // weight between them that both claim.
        assertEquals(net.numParams() - (19 + 12 - 1), parameterMask.sumNumber().longValue());
    }

    @Test
    void prunedWeightsStayExactlyZeroThroughFineTuning() {
        for (Activation activation : new Activation[] {Activation.RELU, Activation.SIGMOID}) {
            Network net = network(activation);
            PrunableLayout layout = PrunableLayout.of(net.configuration(), Granularity.NEURON);
            INDArray parameterMask = MaskApplier.apply(net, layout, Mask.of(14, i -> i % 2 == 0));
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
        // Why MaskEnforcer exists: with sigmoid units, pruned weights get gradients and move.
        Network net = network(Activation.SIGMOID);
        PrunableLayout layout = PrunableLayout.of(net.configuration(), Granularity.NEURON);
        INDArray parameterMask = MaskApplier.apply(net, layout, Mask.of(14, i -> i % 2 == 0));
        Trainer.fit(net, data(), 1, 32, 0, 11);
        assertTrue(net.params().mul(parameterMask.rsub(1)).amaxNumber().doubleValue() > 0);
    }
}
