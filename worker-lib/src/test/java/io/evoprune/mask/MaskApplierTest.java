package io.evoprune.mask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.model.Network;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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
}
