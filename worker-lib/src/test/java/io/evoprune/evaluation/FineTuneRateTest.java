package io.evoprune.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.data.ArrayDataset;
import io.evoprune.mask.Granularity;
import io.evoprune.mask.Mask;
import io.evoprune.mask.MaskApplier;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.mask.TestNetworks;
import io.evoprune.model.Network;
import io.evoprune.model.NetworkBlueprint;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A candidate is fine-tuned at finetune.learning-rate (0 meaning the model's own rates), and comes back with the
 * model's own rates (pruned-model.zip).
 */
class FineTuneRateTest {
    @Test
    void theFineTunedNetworkKeepsTheModelsOwnLearningRates() throws Exception {
        ArrayDataset train = ShippedData.train();
        Network base = Network.init(TestNetworks.lenet5(7));
        MultiLayerNetwork own = (MultiLayerNetwork) base.model();
        double[] rates = new double[own.getnLayers()];
        for (int i = 0; i < rates.length; i++) {
            Double rate = own.getLayer(i).numParams() > 0 ? own.getLearningRate(i) : null;
            rates[i] = rate == null ? Double.NaN : rate;
        }
        PrunableLayout layout = PrunableLayout.of(base.configuration(), Granularity.FILTER);
        MultiLayerNetwork tuned = (MultiLayerNetwork) MaskEvaluator.fineTune(workload(base, train, layout, 0.05),
                new Candidate(0, Mask.of(10, i -> i % 2 == 0), 3)).network().model();
        for (int i = 0; i < rates.length; i++) {
            if (!Double.isNaN(rates[i])) {
                assertEquals(rates[i], tuned.getLearningRate(i), 1e-12,
                        "layer " + i + " has the model's own rate again after fine-tuning at 0.05");
            }
        }
    }

    @Test
    void fineTuningMovesTheKeptWeightsAtItsOwnRateAndHoldsThePrunedAtZero() throws Exception {
        ArrayDataset train = ShippedData.train();
        Network base = Network.init(TestNetworks.mlp(7)); // no batch norm: its running statistics move at any rate
        PrunableLayout layout = PrunableLayout.of(base.configuration(), Granularity.WEIGHT);
        Mask mask = Mask.of(layout.units(), i -> i % 2 == 0);
        Candidate candidate = new Candidate(0, mask, 3);
        INDArray keep = MaskApplier.parameterMask(base, layout, mask);
        INDArray masked = base.params().mul(keep);

        INDArray tuned = MaskEvaluator.fineTune(workload(base, train, layout, 0.05), candidate).network().params();
        assertEquals(0.0, tuned.mul(keep.rsub(1)).norm1Number().doubleValue(), "pruned weights stay exactly zero");
        assertTrue(tuned.sub(masked).norm1Number().doubleValue() > 0, "the kept weights were trained");
        INDArray atOwnRate = MaskEvaluator.fineTune(workload(base, train, layout, 0), candidate).network().params();
        assertTrue(tuned.sub(atOwnRate).norm1Number().doubleValue() > 0, "0.05 is not the model's own rate");
        assertTrue(atOwnRate.sub(masked).norm1Number().doubleValue() > 0, "rate 0 trains at the model's own rate");
    }

    /** One epoch of at most two batches of 32 at {@code rate}, validated on the next 64 examples. */
    private static Workload workload(Network base, ArrayDataset train, PrunableLayout layout, double rate) {
        return new Workload(NetworkBlueprint.of(base), train.slice(0, 64), train.slice(64, 128), layout,
                new FineTuneSettings(1, 2, 32, rate), new Fitness(Metric.ACCURACY, Fitness.Size.UNITS, 0.5, 2), 1, null);
    }
}
