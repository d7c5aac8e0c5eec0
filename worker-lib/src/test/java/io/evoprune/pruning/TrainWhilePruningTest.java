package io.evoprune.pruning;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.evoprune.evaluation.FineTuneSettings;
import io.evoprune.mask.Granularity;
import io.evoprune.mask.MaskApplier;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.mask.TestNetworks;
import io.evoprune.model.Network;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The train-while-pruning baselines under Adam (TestNetworks.mlp, 784-20-10-10) end with exactly round(keep * units)
 * units per layer and every pruned parameter exactly 0 (Adam's momentum would revive them without the mask's
 * enforcement), and the gradual pruner's L1 term is l1 * sum|W| over the weights of every weighted layer, biases
 * excluded.
 */
class TrainWhilePruningTest {
    private static DataSet data() {
        return TestNetworks.randomData(256, 5);
    }

    private static void check(Network base, PrunableLayout layout, Pruned pruned) {
        assertEquals(10, pruned.mask().keptCount(0, 20), "fc1 keeps round(0.5 * 20)");
        assertEquals(5, pruned.mask().keptCount(20, 30), "fc2 keeps round(0.5 * 10)");
        float[] m = MaskApplier.parameterMask(base, layout, pruned.mask()).castTo(DataType.FLOAT).toFloatVector();
        float[] p = pruned.network().params().castTo(DataType.FLOAT).toFloatVector();
        int nonZeroPruned = 0;
        for (int i = 0; i < m.length; i++) {
            if (m[i] == 0f && p[i] != 0f) {
                nonZeroPruned++;
            }
        }
        assertEquals(0, nonZeroPruned, "pruned parameters left non-zero after Adam updates");
    }

    @Test
    void gradualPruningHoldsPrunedWeightsAtZeroUnderAdam() {
        Network base = Network.init(TestNetworks.mlp(3));
        PrunableLayout layout = PrunableLayout.of(base.configuration(), Granularity.NEURON);
        check(base, layout, GradualPruning.run(base, layout, data(), new FineTuneSettings(2, 0, 32, 0.01), 0.5, 1e-3, 9));
    }

    @Test
    void iterativePruningHoldsPrunedWeightsAtZeroUnderAdam() {
        Network base = Network.init(TestNetworks.mlp(3));
        PrunableLayout layout = PrunableLayout.of(base.configuration(), Granularity.NEURON);
        check(base, layout, IterativePruning.run(base, layout, data(), new FineTuneSettings(2, 0, 32, 0.01), 0.5, 4, 9));
    }

    @Test
    void l1PenaltyIsOnTheWeightsOfEveryWeightedLayerOnly() {
        MultiLayerConfiguration conf = TestNetworks.mlp(3);
        Network plain = Network.init(conf);
        for (String layer : new String[] {"fc1", "fc2", "out"}) {
            plain.param(layer, "b").assign(0.5); // biases start at 0: a penalty on them would not show otherwise
        }
        Network sparse = Network.create(GradualPruning.withL1(conf, 0.1), plain.params());
        DataSet d = data();
        double absW = 0;
        for (String layer : new String[] {"fc1", "fc2", "out"}) {
            for (float v : plain.param(layer, "W").castTo(DataType.FLOAT).reshape(-1).toFloatVector()) {
                absW += Math.abs(v);
            }
        }
        assertEquals(0.1 * absW, sparse.score(d) - plain.score(d), 1e-3 * absW * 0.1 + 1e-5);
    }
}
