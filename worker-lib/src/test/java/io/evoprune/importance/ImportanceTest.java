package io.evoprune.importance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.mask.PrunableLayout;
import io.evoprune.model.Network;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Each criterion on {@link TinyNetwork}, against values worked out by hand (or, for Taylor, by finite differences). */
class ImportanceTest {
    private final Network net = TinyNetwork.network();
    private final PrunableLayout layout = TinyNetwork.layout(net);

    private double[] score(Criterion c, int batchSize) {
        return Importance.score(c, net, layout, TinyNetwork.sample(), batchSize, 7).scores();
    }

    @Test
    void magnitudeIsTheMeanAbsoluteValueOfEverythingTheUnitOwns() {
        // unit 0: |1|+|0| in, |0| bias, |1|+|2| out = 4 over 5 parameters; unit 1: 4.5 / 5; unit 2: 2.5 / 5
        assertArrayEquals(new double[] {0.8, 0.9, 0.5}, score(Criterion.MAGNITUDE, 2), 1e-12);
    }

    @Test
    void l1IsTheNormOfIncomingWeights() {
        assertArrayEquals(new double[] {1, 3, 1.5}, score(Criterion.L1, 2), 1e-12);
    }

    @Test
    void activationIsTheMeanPostActivation() {
        // ReLU outputs [1, 0, 0] and [2, 0, 1]
        assertArrayEquals(new double[] {1.5, 0, 0.5}, score(Criterion.ACTIVATION, 1), 1e-12);
    }

    @Test
    void apozScoreIsTheNonZeroFraction() {
        assertArrayEquals(new double[] {1, 0, 0.5}, score(Criterion.APOZ, 2), 1e-12);
    }

    @Test
    void taylorIsTheSquaredFirstOrderLossChangeOfRemovingTheUnitAveragedOverBatches() {
        // Per batch, s_u = sum over the outgoing weights v of u of dL/dv * v (L the batch's mean loss), the first-order
        // change of the loss when u's output is removed; the criterion is s_u^2 averaged over batches.
        DataSet all = TinyNetwork.sample();
        INDArray w1 = ((MultiLayerNetwork) net.model()).getLayer(1).getParam("W");
        double[] perExample = new double[3];
        double[] wholeBatch = new double[3];
        for (int u = 0; u < 3; u++) {
            for (int row = 0; row < 2; row++) {
                double change = gw(w1, u, 0, row(all, row)) + gw(w1, u, 1, row(all, row));
                perExample[u] += change * change / 2;
            }
            double change = gw(w1, u, 0, all) + gw(w1, u, 1, all);
            wholeBatch[u] = change * change;
        }
        assertArrayEquals(perExample, score(Criterion.TAYLOR, 1), 1e-6); // g * w is summed in float
        assertArrayEquals(wholeBatch, score(Criterion.TAYLOR, 2), 1e-6);
        assertTrue(perExample[0] > 1e-3, "unit 0 matters: " + perExample[0]);
        // Unit 1 is dead (ReLU off) on both examples: removing it changes nothing.
        assertEquals(0, perExample[1], 1e-12);
    }

    @Test
    void aUnitWhoseRemovalLeavesEveryLossUnchangedHasNoTaylorImportance() {
        // Unit 2's outgoing weights are [0.5, 0.5]: it adds the same 0.5 * h to both logits, which softmax ignores.
        // Gradients of opposite sign cancel within the unit; a sum of |g * w| per weight would give it 0.119.
        DataSet all = TinyNetwork.sample();
        MultiLayerNetwork mln = (MultiLayerNetwork) net.model();
        INDArray saved = net.params().dup();
        double[] before = {net.score(row(all, 0)), net.score(row(all, 1))};
        mln.getLayer(1).getParam("W").getRow(2).assign(0);
        assertEquals(before[0], net.score(row(all, 0)), 1e-12, "removing unit 2 leaves the loss as it was");
        assertEquals(before[1], net.score(row(all, 1)), 1e-12);
        net.params().assign(saved);
        assertEquals(0, score(Criterion.TAYLOR, 1)[2], 1e-12);
    }

    private static DataSet row(DataSet all, int row) {
        return new DataSet(all.getFeatures().get(NDArrayIndex.interval(row, row + 1), NDArrayIndex.all()),
                all.getLabels().get(NDArrayIndex.interval(row, row + 1), NDArrayIndex.all()));
    }

    /** dL/dw * w for one entry (L the mean loss on {@code data}), the derivative by central differences. */
    private double gw(INDArray param, int r, int c, DataSet data) {
        double w = param.getDouble(r, c);
        double eps = 1e-6;
        param.putScalar(new long[] {r, c}, w + eps);
        double up = net.score(data);
        param.putScalar(new long[] {r, c}, w - eps);
        double down = net.score(data);
        param.putScalar(new long[] {r, c}, w);
        return (up - down) / (2 * eps) * w;
    }

    @Test
    void weightMagnitudeIsEachWeightsAbsoluteValueInMaskOrder() {
        PrunableLayout weights = PrunableLayout.of(net.configuration(), io.evoprune.mask.Granularity.WEIGHT);
        // Bit u of a layer is element u of its W in DL4J's column-major layout: W0 by columns, then W1 by columns.
        assertArrayEquals(new double[] {1, 0, 2, 1, 0.5, 1, 1, 1, 0.5, 2, 0, 0.5},
                Importance.score(Criterion.MAGNITUDE, net, weights, null, 1, 7).scores(), 1e-12);
    }

    @Test
    void weightTaylorIsEachWeightsSquaredGradientTimesWeightAveragedOverBatches() {
        PrunableLayout weights = PrunableLayout.of(net.configuration(), io.evoprune.mask.Granularity.WEIGHT);
        double[] expected = new double[12];
        DataSet all = TinyNetwork.sample();
        MultiLayerNetwork mln = (MultiLayerNetwork) net.model();
        for (int row = 0; row < 2; row++) {
            for (int u = 0; u < 6; u++) {
                expected[u] += Math.pow(gw(mln.getLayer(0).getParam("W"), u % 2, u / 2, row(all, row)), 2) / 2;
                expected[6 + u] += Math.pow(gw(mln.getLayer(1).getParam("W"), u % 3, u / 3, row(all, row)), 2) / 2;
            }
        }
        assertArrayEquals(expected, Importance.score(Criterion.TAYLOR, net, weights, TinyNetwork.sample(), 1, 7)
                .scores(), 1e-6);
    }

    @Test
    void unitCriteriaRefuseSingleWeights() {
        PrunableLayout weights = PrunableLayout.of(net.configuration(), io.evoprune.mask.Granularity.WEIGHT);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Importance.score(Criterion.APOZ, net, weights, TinyNetwork.sample(), 1, 7));
        assertEquals("Importance criterion 'apoz' scores whole neurons; with granularity 'weight' use one of "
                + "[magnitude, taylor, random]", e.getMessage());
    }

    @Test
    void randomScoresAreSeededAndCoverEveryUnit() {
        double[] a = score(Criterion.RANDOM, 2);
        assertArrayEquals(a, score(Criterion.RANDOM, 2));
        assertNotEquals(a[0], Importance.score(Criterion.RANDOM, net, layout, null, 1, 8).get(0));
        assertEquals(3, a.length);
    }

    @Test
    void criteriaLeaveTheNetworkUnchanged() {
        INDArray before = net.params().dup();
        for (Criterion c : Criterion.values()) {
            score(c, 1);
        }
        assertEquals(before, net.params());
    }
}
