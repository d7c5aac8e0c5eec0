package io.evoprune.mask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.model.Network;
import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class MaskRepairTest {

    @Test
    void minimumIsAtLeastOneUnitAndRoundsUp() {
        assertEquals(1, MaskSettings.of(Granularity.NEURON).minKept(300));
        MaskSettings quarter = new MaskSettings(Granularity.NEURON, List.of(), List.of(), 0.25);
        assertEquals(75, quarter.minKept(300));
        assertEquals(2, quarter.minKept(5));
        assertEquals(3, new MaskSettings(Granularity.NEURON, List.of(), List.of(), 1).minKept(3));
        assertThrows(IllegalArgumentException.class,
                () -> new MaskSettings(Granularity.NEURON, List.of(), List.of(), 1.5));
        assertThrows(IllegalArgumentException.class,
                () -> new MaskSettings(Granularity.NEURON, List.of("fc1"), List.of("fc1"), 0));
    }

    @Test
    void rankingIsByDescendingImportanceThenIndex() {
        assertArrayEquals(new int[] {2, 0, 3, 1}, MaskRepair.ranking(new float[] {0.5f, 0.1f, 2f, 0.5f}));
    }

    @Test
    void anEmptiedLayerGetsItsMostImportantUnitsBack() {
        Network base = Network.init(TestNetworks.mlp(5));
        PrunableLayout layout = PrunableLayout.of(base.configuration(), Granularity.NEURON);
        MaskSettings settings = new MaskSettings(Granularity.NEURON, List.of(), List.of(), 0.2);
        MaskRepair repair = MaskRepair.of(layout, settings, base);
        // fc1 (20 units) emptied, fc2 (10 units) keeps 5: only fc1 is repaired, to 4 units.
        Mask broken = Mask.of(30, i -> i >= 20 && i < 25);
        Mask repaired = repair.repair(broken);
        assertTrue(repair.satisfied(repaired));
        assertEquals(4, repaired.keptCount(0, 20));
        assertEquals(5, repaired.keptCount(20, 30));
        // The four re-enabled units are fc1's largest by L1 norm of incoming weights (W's column) and bias.
        int[] order = MaskRepair.ranking(l1OfColumnsAndBias(base, "fc1"));
        for (int k = 0; k < 4; k++) {
            assertTrue(repaired.isKept(order[k]), "unit " + order[k]);
        }
        assertEquals(repaired, repair.repair(broken), "deterministic");
        Mask fine = Mask.of(30, i -> i % 2 == 0);
        assertSame(fine, repair.repair(fine));
    }

    @Test
    void weightMasksAreRepairedPerLayerWithTheirLargestWeights() {
        Network base = Network.init(TestNetworks.mlp(5));
        PrunableLayout layout = PrunableLayout.of(base.configuration(),
                new MaskSettings(Granularity.WEIGHT, List.of("fc2", "out"), List.of(), 0));
        MaskRepair repair = MaskRepair.of(layout, new MaskSettings(Granularity.WEIGHT, List.of(), List.of(), 0.1), base);
        Mask repaired = repair.repair(Mask.of(layout.units(), i -> false));
        assertEquals(20, repaired.keptCount(0, 200));
        assertEquals(10, repaired.keptCount(200, 300));
        // The emptied fc2 gets its largest weights back.
        long start = MaskApplier.paramStart(base, "fc2", "W");
        float[] magnitude = new float[200];
        for (int u = 0; u < 200; u++) {
            magnitude[u] = Math.abs(base.params().getFloat(start + u));
        }
        int[] order = MaskRepair.ranking(magnitude);
        for (int k = 0; k < 200; k++) {
            assertEquals(k < 20, repaired.isKept(order[k]), "weight " + order[k] + ", rank " + k);
        }
    }

    /** Per unit of a dense layer, |W[:, u]|_1 + |b[u]|, worked out from the arrays rather than the flat vector. */
    private static float[] l1OfColumnsAndBias(Network net, String layer) {
        INDArray w = net.param(layer, "W");
        INDArray b = net.param(layer, "b");
        float[] l1 = new float[(int) w.columns()];
        for (int u = 0; u < l1.length; u++) {
            l1[u] = w.getColumn(u).norm1Number().floatValue() + (b == null ? 0 : Math.abs(b.getFloat(u)));
        }
        return l1;
    }

    @Test
    void aLayerShortOfItsMinimumCountsTheUnitsItStillKeeps() {
        Network base = Network.init(TestNetworks.mlp(5));
        // Biases start at 0; a large negative one makes unit 7 the most important by its bias alone.
        base.param("fc1", "b").putScalar(7, -1000);
        PrunableLayout layout = PrunableLayout.of(base.configuration(), Granularity.NEURON);
        MaskRepair repair = MaskRepair.of(layout, new MaskSettings(Granularity.NEURON, List.of(), List.of(), 0.2), base);
        int[] order = MaskRepair.ranking(l1OfColumnsAndBias(base, "fc1"));
        assertEquals(7, order[0]);
        // fc1 keeps its second and third most important units, two short of its minimum of 4: the first and the
        // fourth come back, no more.
        Mask broken = Mask.of(30, i -> i == order[1] || i == order[2] || i >= 20);
        Mask repaired = repair.repair(broken);
        assertEquals(4, repaired.keptCount(0, 20));
        for (int k = 0; k < 20; k++) {
            assertEquals(k < 4, repaired.isKept(order[k]), "unit " + order[k] + ", rank " + k);
        }
    }

    @Test
    void layersWithoutBiasesAreRankedByTheirWeightsAlone() {
        Network base = Network.init(new NeuralNetConfiguration.Builder().seed(3).list()
                .layer(new DenseLayer.Builder().name("fc1").nIn(6).nOut(5).hasBias(false)
                        .activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(6)).build());
        PrunableLayout layout = PrunableLayout.of(base.configuration(), Granularity.NEURON);
        MaskSettings settings = new MaskSettings(Granularity.NEURON, List.of(), List.of(), 0.4);
        Mask repaired = MaskRepair.of(layout, settings, base).repair(Mask.of(5, i -> false));
        int[] order = MaskRepair.ranking(l1OfColumnsAndBias(base, "fc1"));
        assertEquals(Mask.of(5, i -> i == order[0] || i == order[1]), repaired);
    }
}
