package io.evoprune.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.model.Network;
import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.evaluation.classification.ConfusionMatrix;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Macro precision, recall and F1, worked out by hand the way scikit-learn defines them (zero_division=0). */
class ScoresTest {

    private static ConfusionMatrix<Integer> confusion(int classes, int[] actual, int[] predicted) {
        ConfusionMatrix<Integer> m = new ConfusionMatrix<>(java.util.stream.IntStream.range(0, classes).boxed().toList());
        for (int i = 0; i < actual.length; i++) {
            m.add(actual[i], predicted[i]);
        }
        return m;
    }

    @Test
    void aNetworkCollapsedOntoOneClassScoresLowOnEveryClassItNeverPredicts() {
        // precision (1/3 + 0 + 0) / 3, recall (1 + 0 + 0) / 3, F1 (1/2 + 0 + 0) / 3; DL4J: 1/3, 1/3, 1/2
        double[] m = Scores.macro(confusion(3, new int[] {0, 0, 1, 1, 2, 2}, new int[] {0, 0, 0, 0, 0, 0}), 3);
        assertArrayEquals(new double[] {1 / 9.0, 1 / 3.0, 1 / 6.0}, m, 1e-12);
    }

    @Test
    void twoClassesAverageBothClassesNotClassOneAlone() {
        // class 0: P = R = F1 = 2/3; class 1: P = R = F1 = 1/2 (DL4J's f1() reports 1/2)
        double[] m = Scores.macro(confusion(2, new int[] {0, 0, 0, 1, 1}, new int[] {0, 0, 1, 1, 0}), 2);
        assertArrayEquals(new double[] {7 / 12.0, 7 / 12.0, 7 / 12.0}, m, 1e-12);
    }

    @Test
    void aClassOnlyPredictedCountsAsZeroAndAClassNeverSeenIsLeftOut() {
        // classes 0..4; 4 never occurs; 3 is predicted once but never the label: P = R = F1 = 0 for it.
        // class 0: P 1, R 2/3, F1 4/5; classes 1 and 2: 1, 1, 1
        double[] m = Scores.macro(confusion(5, new int[] {0, 0, 0, 1, 1, 2}, new int[] {0, 3, 0, 1, 1, 2}), 5);
        assertArrayEquals(new double[] {3 / 4.0, (2 / 3.0 + 2) / 4, 2.8 / 4}, m, 1e-12);
    }

    @Test
    void scoresOfARealNetworkUseTheMacroAverages() {
        // An output layer with zero weights and a bias for class 0: it predicts class 0 whatever the input.
        Network net = alwaysClassZero();
        float[][] labels = {{1, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 1, 0}, {0, 0, 1}, {0, 0, 1}};
        Scores s = Scores.of(net, new DataSet(Nd4j.rand(6, 2), Nd4j.create(labels)));
        assertEquals(1 / 3.0, s.accuracy(), 1e-12);
        assertEquals(1 / 9.0, s.precision(), 1e-12);
        assertEquals(1 / 3.0, s.recall(), 1e-12);
        assertEquals(1 / 6.0, s.f1(), 1e-12);
        assertEquals(List.of("accuracy", "precision", "recall", "f1", "loss"), List.copyOf(s.metrics().keySet()));
    }

    @Test
    void theLossIsTheMeanOverExamplesAcrossUnevenBatches() {
        // 1500 examples are scored in batches of 1024 and 476; the always-class-0 network's loss is -ln p(label)
        // per example, so the mean over examples weighs the first batch's examples like the second's.
        Network net = alwaysClassZero();
        int n = 1500;
        float[][] labels = new float[n][3];
        for (int i = 0; i < n; i++) {
            labels[i][i < 1024 ? 0 : 1] = 1;
        }
        Scores s = Scores.of(net, new DataSet(Nd4j.rand(n, 2), Nd4j.create(labels)));
        double z = Math.E + 2; // softmax of the logits (1, 0, 0)
        double expected = (1024 * -Math.log(Math.E / z) + 476 * -Math.log(1 / z)) / n;
        assertEquals(expected, s.loss(), 1e-5);
        assertEquals(1024.0 / n, s.accuracy(), 1e-12);
    }

    @Test
    void regressionScoresAreMseMaeAndR2OverTheTargets() {
        // Zero weights and a bias of 1: the network predicts 1 for every example; targets 0, 1, 2, 3.
        Network net = Network.init(new NeuralNetConfiguration.Builder().list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(1)
                        .activation(Activation.IDENTITY).build())
                .setInputType(InputType.feedForward(2)).build());
        net.params().assign(0);
        net.param("layer0", "b").putScalar(0, 1);
        Scores s = Scores.of(net, new DataSet(Nd4j.rand(4, 2), Nd4j.create(new float[][] {{0}, {1}, {2}, {3}})), true);
        assertEquals(1.5, s.mse(), 1e-9);            // (1 + 0 + 1 + 4) / 4
        assertEquals(1.0, s.mae(), 1e-9);            // (1 + 0 + 1 + 2) / 4
        assertEquals(1 - 6 / 5.0, s.r2(), 1e-9);     // SSE 6, SST 5 around the mean 1.5
        assertEquals(1.5, s.loss(), 1e-6, "DL4J's MSE loss averages over the outputs too (one here)");
        assertTrue(Double.isNaN(s.accuracy()));
        assertEquals(List.of("loss", "mse", "mae", "r2"), List.copyOf(s.metrics().keySet()));
    }

    private static Network alwaysClassZero() {
        Network net = Network.init(new NeuralNetConfiguration.Builder().list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(2)).build());
        net.params().assign(0);
        net.param("layer0", "b").putScalar(0, 1);
        return net;
    }
}
