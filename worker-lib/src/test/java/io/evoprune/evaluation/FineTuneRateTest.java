package io.evoprune.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.evoprune.data.ArrayDataset;
import io.evoprune.mask.Granularity;
import io.evoprune.mask.Mask;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.mask.TestNetworks;
import io.evoprune.model.Network;
import io.evoprune.model.NetworkBlueprint;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

/** A candidate fine-tuned at finetune.learning-rate comes back with the model's own rates (pruned-model.zip). */
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
        Workload workload = new Workload(NetworkBlueprint.of(base), train.slice(0, 64), train.slice(64, 128),
                PrunableLayout.of(base.configuration(), Granularity.FILTER), new FineTuneSettings(1, 1, 32, 0.05),
                new Fitness(Metric.ACCURACY, Fitness.Size.UNITS, 0.5, 2), 1);
        MultiLayerNetwork tuned = (MultiLayerNetwork) MaskEvaluator.fineTune(workload,
                new Candidate(0, Mask.of(10, i -> i % 2 == 0), 3)).network().model();
        for (int i = 0; i < rates.length; i++) {
            if (!Double.isNaN(rates[i])) {
                assertEquals(rates[i], tuned.getLearningRate(i), 1e-12, "layer " + i + " trained at 0.05");
            }
        }
    }
}
