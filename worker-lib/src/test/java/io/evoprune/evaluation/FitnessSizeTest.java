package io.evoprune.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.evoprune.data.ArrayDataset;
import io.evoprune.mask.Granularity;
import io.evoprune.mask.Mask;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.mask.TestNetworks;
import io.evoprune.model.Network;
import io.evoprune.model.NetworkBlueprint;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * fitness.size on real evaluations of LeNet-5 filter masks (the shipped data, a few batches): the penalty is on
 * the kept fraction of units, parameters or multiply-adds, fine-tuned masked or rebuilt alike.
 */
@Tag("integration")
class FitnessSizeTest {
    // conv1 keeps filters 0 and 2 of 4, conv2 keeps 1, 2 and 5 of 6: 40,480 of LeNet-5's 100,000 multiply-adds
    // (model.FlopsTest works both out by hand).
    private static final Mask MASK = Mask.of(10, Set.of(0, 2, 4 + 1, 4 + 2, 4 + 5)::contains);
    private static ArrayDataset fineTune;
    private static ArrayDataset validation;

    @BeforeAll
    static void data() throws Exception {
        ArrayDataset train = ShippedData.train();
        fineTune = train.slice(0, 128);
        validation = train.slice(128, 256);
    }

    private static EvaluationResult evaluate(Fitness.Size size, boolean rebuilt) {
        Network base = Network.init(TestNetworks.lenet5(7));
        PrunableLayout layout = PrunableLayout.of(base.configuration(), Granularity.FILTER);
        Workload workload = new Workload(NetworkBlueprint.of(base), fineTune, validation, layout,
                new FineTuneSettings(1, 2, 32, 0.01).withRebuilt(rebuilt), new Fitness(Metric.ACCURACY, size, 0.3, 2),
                1, null);
        EvaluationResult r = MaskEvaluator.evaluate(workload, new Candidate(0, MASK, 17));
        assertFalse(r.failed(), r.failure());
        assertEquals(0.5, r.keptFraction(), 1e-12, "5 of 10 filters, whatever the size measure");
        assertEquals(r.accuracy() - 2 * Math.max(0, r.sizeFraction() - 0.3), r.fitness(), 1e-12);
        return r;
    }

    @Test
    void unitsPenaliseTheKeptShareOfFilters() {
        assertEquals(0.5, evaluate(Fitness.Size.UNITS, true).sizeFraction(), 1e-12);
    }

    @Test
    void flopsPenaliseTheKeptShareOfMultiplyAddsMaskedOrRebuilt() {
        assertEquals(0.4048, evaluate(Fitness.Size.FLOPS, true).sizeFraction(), 1e-12);
        assertEquals(0.4048, evaluate(Fitness.Size.FLOPS, false).sizeFraction(), 1e-12);
    }

    @Test
    void parametersPenaliseTheKeptShareOfTheWholeNetwork() {
        long all = Network.init(TestNetworks.lenet5(7)).numParams();
        for (boolean rebuilt : new boolean[] {true, false}) {
            EvaluationResult r = evaluate(Fitness.Size.PARAMETERS, rebuilt);
            assertEquals(r.parametersKept() / (double) all, r.sizeFraction(), 1e-12);
            assertEquals(true, r.sizeFraction() < 0.5, "the dense layers after the convolutions shrink too");
        }
    }
}
