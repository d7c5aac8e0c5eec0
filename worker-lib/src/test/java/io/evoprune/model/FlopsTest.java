package io.evoprune.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.evoprune.importance.TinyNetwork;
import io.evoprune.mask.Granularity;
import io.evoprune.mask.Mask;
import io.evoprune.mask.MaskApplier;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.mask.TestNetworks;
import io.evoprune.rebuild.MaskRebuild;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class FlopsTest {
    private static final INDArray IMAGE = Nd4j.zeros(DataType.FLOAT, 1, 784);

    @Test
    void denseLayersCostOneMultiplyAddPerKeptWeight() {
        Network net = TinyNetwork.network();
        Flops flops = Flops.of(net, Nd4j.zeros(DataType.DOUBLE, 1, 2));
        assertEquals(2 * 3 + 3 * 2, flops.multiplyAdds());
        // Pruning hidden unit 1 removes one column of W0 and one row of W1.
        INDArray mask = MaskApplier.parameterMask(net, TinyNetwork.layout(net), Mask.parse("101"));
        assertEquals(2 * 2 + 2 * 2, flops.multiplyAdds(mask));
        assertEquals(2 * (2 * 2 + 2 * 2), flops.flops(mask));
    }

    @Test
    void convolutionsCostEachKernelWeightOncePerOutputPosition() {
        Network net = Network.init(TestNetworks.lenet5(1));
        // conv1 5x5, 1 -> 4 channels, 24x24 out; bn1 4 x 24x24; conv2 5x5, 4 -> 6, 8x8 out; fc 96 -> 16; out 16 -> 10.
        long expected = 4 * 25 * 576 + 4 * 576 + 6 * 4 * 25 * 64 + 96 * 16 + 16 * 10;
        assertEquals(100_000, expected);
        assertEquals(expected, Flops.multiplyAdds(net, IMAGE));
        assertEquals(List.of(), Flops.of(net, IMAGE).uncounted());
    }

    @Test
    void aFilterMaskCountsWhatTheRebuiltNetworkCosts() {
        Network net = Network.init(TestNetworks.lenet5(1));
        PrunableLayout layout = PrunableLayout.of(net.configuration(), Granularity.FILTER);
        // conv1 keeps filters 0 and 2 of 4 (and their batch-norm channels); conv2 keeps 1, 2 and 5 of 6.
        Set<Integer> kept = Set.of(0, 2, 4 + 1, 4 + 2, 4 + 5);
        Mask mask = Mask.of(10, kept::contains);
        long expected = 2 * 25 * 576 + 2 * 576 + 3 * 2 * 25 * 64 + 3 * 16 * 16 + 16 * 10;
        INDArray parameterMask = MaskApplier.parameterMask(net, layout, mask);
        assertEquals(expected, Flops.of(net, IMAGE).multiplyAdds(parameterMask));
        Network rebuilt = MaskRebuild.rebuild(net, layout, mask).network();
        assertEquals(expected, Flops.multiplyAdds(rebuilt, IMAGE));
    }

    @Test
    void aPrunedConvolutionWeightSavesOneMultiplyAddPerOutputPosition() {
        Network net = Network.init(TestNetworks.lenet5(1));
        PrunableLayout layout = PrunableLayout.of(net.configuration(), Granularity.WEIGHT);
        // The first bits are conv1's first weights; three pruned there and one in the output layer.
        int last = layout.units() - 1;
        Mask mask = Mask.of(layout.units(), i -> i > 2 && i != last);
        assertEquals(100_000 - 3 * 576 - 1,
                Flops.of(net, IMAGE).multiplyAdds(MaskApplier.parameterMask(net, layout, mask)));
    }

    @Test
    void layersItCannotCountAreNamedAndTheRestIsCounted() {
        var conf = new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new LSTM.Builder().name("lstm").nIn(3).nOut(4).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nIn(4).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .build();
        Network net = Network.init(conf);
        Flops flops = Flops.of(net, Nd4j.zeros(DataType.FLOAT, 1, 3, 5));
        assertEquals(List.of("lstm"), flops.uncounted());
        assertEquals(4 * 2 * 5, flops.multiplyAdds(), "the output layer's weights, once per time step");
    }

    @Test
    void refusesAMaskOfAnotherSizeAndMoreThanOneExample() {
        Network net = TinyNetwork.network();
        Flops flops = Flops.of(net, Nd4j.zeros(DataType.DOUBLE, 1, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> flops.multiplyAdds(Nd4j.ones(DataType.FLOAT, 3)));
        assertEquals("The parameter mask has 3 entries but the network has 17 parameters", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Flops.of(net, Nd4j.zeros(DataType.DOUBLE, 2, 2)));
    }
}
