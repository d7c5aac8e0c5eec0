package io.evoprune.mask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.model.Network;
import java.util.List;
import org.junit.jupiter.api.Test;

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
        // The four re-enabled units are fc1's largest by L1 norm of incoming weights and bias.
        float[] params = base.params().toFloatVector();
        float[] importance = MaskRepair.importance(base, params, Granularity.NEURON, layout.segment("fc1"));
        int[] order = MaskRepair.ranking(importance);
        for (int k = 0; k < 4; k++) {
            assertTrue(repaired.isKept(order[k]));
        }
        assertEquals(repaired, repair.repair(broken), "deterministic");
        Mask fine = Mask.of(30, i -> i % 2 == 0);
        assertSame(fine, repair.repair(fine));
    }

    @Test
    void weightMasksAreRepairedPerLayer() {
        Network base = Network.init(TestNetworks.mlp(5));
        PrunableLayout layout = PrunableLayout.of(base.configuration(),
                new MaskSettings(Granularity.WEIGHT, List.of("fc2", "out"), List.of(), 0));
        MaskRepair repair = MaskRepair.of(layout, new MaskSettings(Granularity.WEIGHT, List.of(), List.of(), 0.1), base);
        Mask repaired = repair.repair(Mask.of(layout.units(), i -> false));
        assertEquals(20, repaired.keptCount(0, 200));
        assertEquals(10, repaired.keptCount(200, 300));
    }
}
