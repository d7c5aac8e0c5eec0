package io.evoprune.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.evoprune.importance.TinyNetwork;
import io.evoprune.mask.Mask;
import io.evoprune.mask.MaskApplier;

import org.junit.jupiter.api.Test;

class FlopsTest {
    @Test
    void countsTwoFlopsPerKeptWeight() {
        Network net = TinyNetwork.network();
        assertEquals(2 * (2 * 3 + 3 * 2), Flops.perExample(net));
        // Pruning hidden unit 1 removes one column of W0 and one row of W1: 2 * (2 * 2 + 2 * 2).
        Mask mask = Mask.parse("101");
        assertEquals(16, Flops.perExample(net, MaskApplier.parameterMask(net, TinyNetwork.layout(net), mask)));
    }
}
