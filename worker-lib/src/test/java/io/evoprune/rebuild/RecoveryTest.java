package io.evoprune.rebuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.evaluation.Scores;
import io.evoprune.model.Network;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** Recovery trains the rebuilt network from its surviving weights, leaving frozen layers exactly as they were. */
@Tag("integration")
class RecoveryTest {

    @Test
    void recoveryImprovesAccuracyAndLeavesFrozenLayersAlone() {
        Network rebuilt = NetworkRebuilder.rebuild(MlpRebuildTest.mlp(),
                Map.of(0, IntStream.range(0, 60).toArray(), 1, IntStream.range(0, 30).toArray())).network();
        DataSet train = TestData.train(0, 1500);
        DataSet test = TestData.test();
        INDArray frozenBefore = rebuilt.layer("fc1").params().dup();
        INDArray trainedBefore = rebuilt.layer("layer1").params().dup();
        double before = Scores.of(rebuilt, test).accuracy();

        Recovery.fineTune(rebuilt, train, new RecoverySettings(1, 0.01, 50, List.of("fc1")), 5);

        assertEquals(frozenBefore, rebuilt.layer("fc1").params(), "frozen layer fc1 changed");
        assertNotEquals(trainedBefore, rebuilt.layer("layer1").params());
        double after = Scores.of(rebuilt, test).accuracy();
        assertTrue(after > before + 0.2, "accuracy " + before + " -> " + after);
    }

    @Test
    void anUnknownFrozenLayerIsNamedWithTheKey() {
        MultiLayerNetwork net = MlpRebuildTest.mlp();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Recovery.fineTune(Network.of(net),
                TestData.train(0, 10), new RecoverySettings(1, 0.001, 10, List.of("fc9")), 1));
        assertTrue(e.getMessage().contains("rebuild.recovery.frozen-layers") && e.getMessage().contains("fc9")
                && e.getMessage().contains("layer1"), e.getMessage());
    }
}
