package io.evoprune.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.mask.TestNetworks;
import io.evoprune.model.Network;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The paired base-vs-pruned comparison: its statistics against values worked out by hand (and SciPy), then on real networks. */
class PairedComparisonTest {

    @Test
    void mcNemarOnTheDiscordantExamples() {
        // 100 examples; base right on 80, pruned on 88; only the base on 2, only the pruned on 10.
        PairedComparison c = PairedComparison.mcNemar(100, 80, 88, 2, 10);
        assertEquals(0.08, c.difference(), 1e-12);
        // exact: 2 * P(X <= 2), X ~ Bin(12, 1/2) = 2 * 79 / 4096 (scipy.stats.binomtest(2, 12): 0.03857421875)
        assertEquals(2 * 79 / 4096.0, c.pValue(), 1e-12);
        // Agresti-Min: cells 2.5 and 10.5 of 102; centre 8/102, half width 1.96 * sqrt(13 - 64/102) / 102
        assertEquals(8 / 102.0 - 1.959963984540054 * Math.sqrt(13 - 64 / 102.0) / 102, c.lower(), 1e-12);
        assertEquals(8 / 102.0 + 1.959963984540054 * Math.sqrt(13 - 64 / 102.0) / 102, c.upper(), 1e-12);
        assertEquals("pruned better", c.verdict());
        assertEquals("pruned worse", PairedComparison.mcNemar(100, 88, 80, 10, 2).verdict());
    }

    @Test
    void aClearDifferenceKeepsItsSmallPValue() {
        // 651 against 375 of 10,000 (a baseline row of benchmarks.md); Commons Math's binomial CDF had given 0
        PairedComparison c = PairedComparison.mcNemar(10_000, 8536, 8260, 651, 375);
        assertEquals(5.749062729028023e-18, c.pValue(), 5.749062729028023e-18 * 1e-9);
        // scipy.stats.binomtest(k, d).pvalue, from p near 0.06 to far below double's 1e-16 step near 1
        assertEquals(0.06142292040937908, PairedComparison.mcNemar(10_000, 0, 0, 383, 332).pValue(), 1e-12);
        assertEquals(1.7404316412268293e-89, PairedComparison.mcNemar(20_000, 0, 0, 4000, 6000).pValue(),
                1.7404316412268293e-89 * 1e-6);
        assertEquals(0.9747749818216395, PairedComparison.mcNemar(2000, 0, 0, 501, 499).pValue(), 1e-12);
        assertEquals(1, PairedComparison.mcNemar(2000, 0, 0, 500, 500).pValue(), 1e-12);
    }

    @Test
    void noDiscordantExamplesMeansNoEvidenceOfADifference() {
        PairedComparison c = PairedComparison.mcNemar(50, 40, 40, 0, 0);
        assertEquals(1, c.pValue());
        assertEquals(0, c.difference());
        assertTrue(c.lower() < 0 && c.upper() > 0, "the interval still allows a difference either way");
        assertEquals("no significant difference", c.verdict());
        // 3 against 0 is not enough at 5% either: p = 2 / 8
        assertEquals(0.25, PairedComparison.mcNemar(50, 43, 40, 3, 0).pValue(), 1e-12);
    }

    @Test
    void pairedTOnSquaredErrors() {
        // scipy.stats.ttest_rel([1.5, 2.5, 2.5, 5], [1, 2, 3, 4]): p 0.3189317919127754, CI (-0.62612261, 1.37612261)
        PairedComparison c = PairedComparison.pairedT(new double[] {1, 2, 3, 4}, new double[] {1.5, 2.5, 2.5, 5});
        assertEquals("mse", c.metric());
        assertEquals(2.5, c.base(), 1e-12);
        assertEquals(2.875, c.pruned(), 1e-12);
        assertEquals(0.375, c.difference(), 1e-12);
        assertEquals(0.3189317919127754, c.pValue(), 1e-9);
        assertEquals(-0.6261226126679627, c.lower(), 1e-9);
        assertEquals(1.3761226126679627, c.upper(), 1e-9);
        assertEquals(3, c.baseBetter());
        assertEquals(1, c.prunedBetter());
        assertEquals("no significant difference", c.verdict());
        // a consistently lower error is better for the pruned network, since lower MSE is better
        PairedComparison lower = PairedComparison.pairedT(new double[] {1, 2, 3, 4, 5}, new double[] {0.5, 1.4, 2.6, 3.5, 4.4});
        assertTrue(lower.pValue() < 0.05, "p " + lower.pValue());
        assertEquals("pruned better", lower.verdict());
    }

    @Test
    void mcNemarReportsBothAccuraciesAndTheTable() {
        PairedComparison c = PairedComparison.mcNemar(100, 80, 88, 2, 10);
        assertEquals(0.80, c.base(), 1e-12);
        assertEquals(0.88, c.pruned(), 1e-12);
        assertEquals(100, c.examples());
        assertEquals(2, c.baseBetter());
        assertEquals(10, c.prunedBetter());
        assertEquals("McNemar exact", c.test());
    }

    @Test
    void pairedTWithIdenticalOrUniformlyShiftedErrors() {
        PairedComparison same = PairedComparison.pairedT(new double[] {1, 2, 3}, new double[] {1, 2, 3});
        assertEquals(0, same.difference());
        assertEquals(1, same.pValue());
        assertEquals(0, same.lower());
        assertEquals(0, same.upper());
        assertEquals(0, same.baseBetter() + same.prunedBetter(), "ties count for neither network");
        assertEquals("no significant difference", same.verdict());

        PairedComparison shifted = PairedComparison.pairedT(new double[] {1, 2, 3}, new double[] {0.5, 1.5, 2.5});
        assertEquals(-0.5, shifted.difference(), 1e-12);
        assertEquals(0, shifted.pValue());
        assertEquals(-0.5, shifted.lower(), 1e-12);
        assertEquals(-0.5, shifted.upper(), 1e-12);
        assertEquals("pruned better", shifted.verdict());

        PairedComparison ties = PairedComparison.pairedT(new double[] {1, 2, 3, 4}, new double[] {1, 2.5, 2, 4});
        assertEquals(1, ties.baseBetter());
        assertEquals(1, ties.prunedBetter());
    }

    @Test
    void twoConstantClassifiersDifferOnTheDiscordantExamples() {
        Network base = constant(3, 0);
        Network pruned = constant(3, 1);
        float[][] labels = {{1, 0, 0}, {1, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {0, 0, 1}};
        DataSet data = new DataSet(Nd4j.rand(6, 2), Nd4j.create(labels));
        PairedComparison c = PairedComparison.of(base, pruned, data, false);
        assertEquals(6, c.examples());
        assertEquals(3 / 6.0, c.base(), 1e-12);
        assertEquals(1 / 6.0, c.pruned(), 1e-12);
        assertEquals(3, c.baseBetter());
        assertEquals(1, c.prunedBetter());
        assertEquals(2 * 5 / 16.0, c.pValue(), 1e-12); // 2 P(X <= 1), X ~ Bin(4, 1/2)
        assertNull(PairedComparison.of(base, pruned, data.sample(1), false), "one example is no comparison");
        Network diverged = constant(3, 0);
        diverged.params().putScalar(0, Float.NaN);
        assertNull(PairedComparison.of(base, diverged, data, false));
    }

    @Test
    void aRegressionComparisonIsOnPerExampleSquaredErrors() {
        Network one = constantRegression(1);
        Network zero = constantRegression(0);
        DataSet data = new DataSet(Nd4j.rand(4, 2), Nd4j.create(new float[][] {{0}, {1}, {2}, {3}}));
        PairedComparison c = PairedComparison.of(one, zero, data, true);
        // squared errors: base (1, 0, 1, 4), pruned (0, 1, 4, 9)
        assertEquals("paired t", c.test());
        assertEquals(1.5, c.base(), 1e-6);
        assertEquals(3.5, c.pruned(), 1e-6);
        assertEquals(3, c.baseBetter());
        assertEquals(1, c.prunedBetter());
    }

    @Test
    @Tag("integration")
    void realClassifiersAgreeWithTheirScores() throws Exception {
        DataSet train = ShippedData.train().slice(0, 512).toDataSet();
        DataSet test = ShippedData.train().slice(512, 1536).toDataSet();
        Network a = Network.init(TestNetworks.mlp(1));
        Network b = Network.init(TestNetworks.mlp(2));
        a.fit(train.getFeatures(), train.getLabels());
        for (int i = 0; i < 5; i++) {
            b.fit(train.getFeatures(), train.getLabels());
        }
        PairedComparison c = PairedComparison.of(a, b, test, false);
        assertEquals(1024, c.examples());
        assertEquals(Scores.of(a, test).accuracy(), c.base(), 1e-12);
        assertEquals(Scores.of(b, test).accuracy(), c.pruned(), 1e-12);
        assertEquals(c.pruned() - c.base(), c.difference(), 1e-12);
        // The discordant examples, counted here from the two networks' predictions.
        long[] truth = Nd4j.argMax(test.getLabels(), 1).toLongVector();
        long[] byA = Nd4j.argMax(a.output(test.getFeatures()), 1).toLongVector();
        long[] byB = Nd4j.argMax(b.output(test.getFeatures()), 1).toLongVector();
        long onlyA = 0;
        long onlyB = 0;
        for (int i = 0; i < truth.length; i++) {
            onlyA += byA[i] == truth[i] && byB[i] != truth[i] ? 1 : 0;
            onlyB += byB[i] == truth[i] && byA[i] != truth[i] ? 1 : 0;
        }
        assertEquals(onlyA, c.baseBetter());
        assertEquals(onlyB, c.prunedBetter());
        assertTrue(onlyA + onlyB > 0);
        assertTrue(c.lower() <= c.difference() && c.difference() <= c.upper());

        PairedComparison self = PairedComparison.of(a, a, test, false);
        assertEquals(0, self.baseBetter() + self.prunedBetter());
        assertEquals(1, self.pValue());
    }

    @Test
    @Tag("integration")
    void realRegressionAgreesWithItsMse() {
        INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 300, 4);
        INDArray y = Nd4j.hstack(x.sum(1).reshape(300, 1), x.getColumn(0).reshape(300, 1).mul(2));
        DataSet data = new DataSet(x, y);
        Network a = Network.init(regression(3));
        Network b = Network.init(regression(4));
        for (int i = 0; i < 20; i++) {
            b.fit(x, y);
        }
        PairedComparison c = PairedComparison.of(a, b, data, true);
        assertEquals(Scores.of(a, data, true).mse(), c.base(), 1e-5);
        assertEquals(Scores.of(b, data, true).mse(), c.pruned(), 1e-5);
        assertNotEquals(c.base(), c.pruned());
        assertEquals("paired t", c.test());
    }

    private static org.deeplearning4j.nn.conf.MultiLayerConfiguration regression(long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).updater(new Adam(1e-2)).list()
                .layer(new DenseLayer.Builder().nOut(8).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2)
                        .activation(Activation.IDENTITY).build())
                .setInputType(InputType.feedForward(4))
                .build();
    }

    /** A network that predicts {@code predicted} for every input. */
    private static Network constant(int classes, int predicted) {
        Network net = Network.init(new NeuralNetConfiguration.Builder().list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(classes)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(2)).build());
        net.params().assign(0);
        net.param("layer0", "b").putScalar(predicted, 1);
        return net;
    }

    /** A regression network whose output is {@code value} for every input. */
    private static Network constantRegression(double value) {
        Network net = Network.init(new NeuralNetConfiguration.Builder().list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(1)
                        .activation(Activation.IDENTITY).build())
                .setInputType(InputType.feedForward(2)).build());
        net.params().assign(0);
        net.param("layer0", "b").putScalar(0, value);
        return net;
    }
}
