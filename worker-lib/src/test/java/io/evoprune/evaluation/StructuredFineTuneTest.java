package io.evoprune.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.data.ArrayDataset;
import io.evoprune.mask.Granularity;
import io.evoprune.mask.Mask;
import io.evoprune.mask.MaskApplier;
import io.evoprune.mask.MaskSettings;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.mask.TestNetworks;
import io.evoprune.model.Network;
import io.evoprune.model.NetworkBlueprint;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Real DL4J fine-tuning on the shipped Fashion-MNIST subset: pruned filters, tied graph filters and single
 * weights must be exactly zero after training, in the parameters and in the activations.
 */
@Tag("integration")
class StructuredFineTuneTest {
    private static ArrayDataset fineTune;
    private static ArrayDataset validation;

    @BeforeAll
    static void data() throws Exception {
        ArrayDataset train = ShippedData.train();
        fineTune = train.slice(0, 256);
        validation = train.slice(256, 384);
    }

    private static MaskEvaluator.Trained fineTune(Network base, PrunableLayout layout, Mask mask) {
        Workload workload = new Workload(NetworkBlueprint.of(base), fineTune, validation, layout,
                new FineTuneSettings(1, 4, 32, 0.01), new Fitness(0.5, 0.5), 1, null);
        MaskEvaluator.Trained trained = MaskEvaluator.fineTune(workload, new Candidate(0, mask, 17));
        // Every parameter the mask prunes is exactly zero; the others were trained.
        float[] pm = MaskApplier.parameterMask(trained.network(), layout, mask).castTo(DataType.FLOAT).toFloatVector();
        float[] after = trained.network().params().castTo(DataType.FLOAT).toFloatVector();
        float[] before = base.params().castTo(DataType.FLOAT).toFloatVector();
        int pruned = 0;
        int changed = 0;
        for (int i = 0; i < pm.length; i++) {
            if (pm[i] == 0f) {
                assertEquals(0f, after[i], 0f, "pruned parameter " + i);
                pruned++;
            } else if (after[i] != before[i]) {
                changed++;
            }
        }
        assertTrue(pruned > 0);
        assertTrue(changed > pm.length / 4, "fine-tuning changed " + changed + " of " + pm.length + " parameters");
        EvaluationResult result = MaskEvaluator.evaluate(workload, new Candidate(0, mask, 17));
        assertFalse(result.failed(), result.failure());
        assertEquals(pm.length - pruned, result.parametersKept());
        return trained;
    }

    @Test
    void prunedFiltersOfACnnStayZeroThroughFineTuning() {
        Network base = Network.init(TestNetworks.lenet5(7));
        PrunableLayout layout = PrunableLayout.of(base.configuration(), Granularity.FILTER);
        Mask mask = Mask.parse("0110" + "101100");
        Network net = fineTune(base, layout, mask).network();

        assertEquals(0, abs(net.param("conv1", "W"), 0, 0, 1));
        assertEquals(0, abs(net.param("conv1", "W"), 0, 3, 4));
        assertEquals(0, abs(net.param("conv2", "W"), 1, 0, 1), "conv2 reads no pruned conv1 channel");
        assertEquals(0, net.param("bn1", "gamma").getDouble(0) + 0.0);
        assertEquals(0, net.param("bn1", "mean").getDouble(3) + 0.0);
        assertEquals(0, abs(net.param("fc", "W"), 0, 16, 32), "fc reads no pruned conv2 channel (4x4 each)");
        assertTrue(abs(net.param("fc", "W"), 0, 32, 48) > 0);

        List<INDArray> acts = ((MultiLayerNetwork) net.model()).feedForward(validation.toDataSet().getFeatures(), false);
        for (int channel : new int[] {0, 3}) {
            assertEquals(0, abs(acts.get(1), 1, channel, channel + 1), "conv1 channel " + channel);
            assertEquals(0, abs(acts.get(2), 1, channel, channel + 1), "bn1 channel " + channel);
        }
        assertTrue(abs(acts.get(2), 1, 1, 2) > 0);
        for (int channel : new int[] {1, 4, 5}) {
            assertEquals(0, abs(acts.get(5), 1, channel, channel + 1), "conv2 channel " + channel);
        }
    }

    @Test
    void aPrunedGraphFilterStaysOutOfEveryConsumerThroughFineTuning() {
        Network base = Network.init(TestNetworks.branch(7));
        PrunableLayout layout = PrunableLayout.of(base.configuration(), Granularity.FILTER);
        Mask mask = Mask.parse("1011" + "110" + "01");
        Network net = fineTune(base, layout, mask).network();

        assertEquals(0, abs(net.param("c0", "W"), 0, 1, 2));
        assertEquals(0, net.param("c0", "b").getDouble(1) + 0.0);
        for (String reader : List.of("ca", "cb", "cc")) {
            assertEquals(0, abs(net.param(reader, "W"), 1, 1, 2), reader + " reads c0's pruned channel");
            assertTrue(abs(net.param(reader, "W"), 1, 2, 3) > 0, reader);
        }
        for (String key : List.of("gamma", "beta", "mean", "log10stdev")) {
            assertEquals(0, net.param("bn", key).getDouble(2) + 0.0, "bn " + key);
            assertEquals(0, net.param("bn", key).getDouble(3) + 0.0, "bn " + key);
        }
        assertEquals(0, abs(net.param("fc", "W"), 0, 2 * 49, 4 * 49));

        Map<String, INDArray> acts = ((ComputationGraph) net.model()).feedForward(validation.toDataSet().getFeatures(), false);
        assertEquals(0, abs(acts.get("c0"), 1, 1, 2));
        assertEquals(0, abs(acts.get("add"), 1, 2, 3));
        assertEquals(0, abs(acts.get("bn"), 1, 2, 4));
        assertTrue(abs(acts.get("bn"), 1, 4, 5) > 0);
    }

    @Test
    void prunedWeightsStayZeroThroughFineTuning() {
        Network base = Network.init(TestNetworks.mlp(7));
        PrunableLayout layout = PrunableLayout.of(base.configuration(),
                new MaskSettings(Granularity.WEIGHT, List.of("fc1", "fc2"), List.of(), 0));
        Mask mask = Mask.of(layout.units(), i -> (io.evoprune.mask.Seeds.mix(i) & 3) != 0); // about 3 in 4 kept
        Network net = fineTune(base, layout, mask).network();
        assertTrue(abs(net.param("out", "W")) > 0);
    }

    private static double abs(INDArray x) {
        return x.dup().norm1Number().doubleValue();
    }

    private static double abs(INDArray x, int dim, long from, long to) {
        return io.evoprune.mask.MaskApplierTestSupport.abs(x, dim, from, to);
    }
}
