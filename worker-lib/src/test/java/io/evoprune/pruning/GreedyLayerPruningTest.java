package io.evoprune.pruning;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.evoprune.importance.TinyNetwork;
import io.evoprune.mask.Mask;
import io.evoprune.model.Network;
import org.junit.jupiter.api.Test;

/** Greedy layer pruning on {@link TinyNetwork}, whose units' effects on the loss are known by hand. */
class GreedyLayerPruningTest {
    @Test
    void keepsTheUnitWhoseRemovalRaisesTheDataLossMostWhateverTheWeightPenalty() {
        // Removing unit 0 lowers the mean loss by 0.027 (it helps example 2, hurts example 1 more); units 1 (dead)
        // and 2 (adds the same to both logits) change nothing: keeping one unit keeps unit 1, ties to the lower index.
        Network plain = TinyNetwork.network();
        Mask kept = GreedyLayerPruning.mask(plain, TinyNetwork.layout(plain), TinyNetwork.sample(), 1 / 3.0);
        assertEquals("010", kept.toBitString());
        // An L1 penalty of 1 falls by the removed unit's |w| (4, 4 and 2.5): counted as loss it would keep unit 2.
        Network penalised = TinyNetwork.network(1);
        assertEquals(plain.dataLoss(TinyNetwork.sample()), penalised.dataLoss(TinyNetwork.sample()), 1e-12);
        assertEquals(kept, GreedyLayerPruning.mask(penalised, TinyNetwork.layout(penalised), TinyNetwork.sample(),
                1 / 3.0));
    }
}
