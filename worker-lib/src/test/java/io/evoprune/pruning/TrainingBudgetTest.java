package io.evoprune.pruning;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.evoprune.evaluation.FineTuneSettings;
import io.evoprune.mask.Granularity;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.mask.TestNetworks;
import io.evoprune.model.Network;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Pruners that train as they prune spend exactly the fine-tune budget of one search evaluation, also when a step's
 * share of it rounds to no batch at all (counted in DL4J's iterations: one per batch).
 */
@Tag("integration")
class TrainingBudgetTest {
    private static final DataSet DATA = data();

    private static DataSet data() {
        return TestNetworks.randomData(256, 5);
    }

    private static int iterations(Pruned pruned) {
        return ((MultiLayerNetwork) pruned.network().model()).getIterationCount();
    }

    private static Pruned iterative(int maxBatches, int steps) {
        Network base = Network.init(TestNetworks.mlp(3));
        PrunableLayout layout = PrunableLayout.of(base.configuration(), Granularity.NEURON);
        return IterativePruning.run(base, layout, DATA, new FineTuneSettings(1, maxBatches, 32, 0.01), 0.5, steps, 9);
    }

    @Test
    void iterativePruningSpendsTheBudgetEvenWhenAStepGetsNoBatch() {
        assertEquals(2, iterations(iterative(2, 4)), "2 batches over 4 steps: steps 1 and 3 train none");
        assertEquals(8, iterations(iterative(0, 3)), "one epoch of 256 examples at batch 32");
    }
}
