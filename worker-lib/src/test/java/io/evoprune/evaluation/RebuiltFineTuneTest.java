package io.evoprune.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.data.ArrayDataset;
import io.evoprune.mask.Granularity;
import io.evoprune.mask.Mask;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.mask.TestNetworks;
import io.evoprune.model.Network;
import io.evoprune.model.NetworkBlueprint;
import io.evoprune.rebuild.MaskRebuild;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.weightnoise.DropConnect;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Fine-tuning the physically smaller network of a mask trains what fine-tuning the masked full-size network trains:
 * real DL4J training on the shipped data, an MLP with a sigmoid layer (whose pruned units output 0.5, not 0), a CNN
 * with batch norm and a graph whose tied filters feed three consumers.
 */
@Tag("integration")
class RebuiltFineTuneTest {
    /** Float rounding differs between the two shapes of matrix products; a wrong rebuild differs by far more. */
    private static final double OUTPUT_TOLERANCE = 1e-3;
    /**
     * A convolution bias right before batch norm has a true gradient of exactly zero, so its computed gradient is
     * rounding noise, which Adam normalises into full-size steps that differ between the two forms; batch norm's
     * running mean carries that into inference outputs (seen: 1e-2 after 8 steps, every other parameter within
     * 1e-4).
     */
    private static final double BATCH_NORM_TOLERANCE = 2e-2;
    private static ArrayDataset fineTune;
    private static ArrayDataset validation;

    @BeforeAll
    static void data() throws Exception {
        ArrayDataset train = ShippedData.train();
        fineTune = train.slice(0, 512);
        validation = train.slice(512, 768);
    }

    @Test
    void neuronMaskOfAnMlp() {
        Network base = Network.init(TestNetworks.mlp(3));
        PrunableLayout layout = PrunableLayout.of(base.configuration(), Granularity.NEURON);
        assertSameTraining(base, layout, Mask.of(layout.units(), u -> u % 3 != 1), OUTPUT_TOLERANCE);
    }

    @Test
    void filterMaskOfACnnWithBatchNorm() {
        Network base = Network.init(TestNetworks.lenet5(3));
        PrunableLayout layout = PrunableLayout.of(base.configuration(), Granularity.FILTER);
        assertSameTraining(base, layout, Mask.parse("0110" + "101100"), BATCH_NORM_TOLERANCE);
    }

    @Test
    void filterMaskOfAGraphWithABranch() {
        Network base = Network.init(TestNetworks.branch(3));
        PrunableLayout layout = PrunableLayout.of(base.configuration(), Granularity.FILTER);
        assertSameTraining(base, layout, Mask.parse("1011" + "110" + "01"), BATCH_NORM_TOLERANCE);
    }

    @Test
    void dropoutTrainsTheTwoFormsDifferentlyAndIsNamed() {
        PrunableLayout layout = PrunableLayout.of(TestNetworks.mlp(3), Granularity.NEURON);
        assertNull(MaskRebuild.trainsDifferently(Network.init(TestNetworks.mlp(3)), layout));
        MultiLayerConfiguration conf = TestNetworks.mlp(3);
        conf.getConf(1).getLayer().setIDropout(new Dropout(0.5));
        Network base = Network.init(conf);
        assertEquals("layer 'fc2' has dropout, whose random units differ between the full-size and the smaller"
                + " network", MaskRebuild.trainsDifferently(base, layout));
        // Why it matters: the same mask, seed and batches train measurably different networks (seen: 2e-2).
        Mask mask = Mask.of(layout.units(), u -> u % 3 != 1);
        assertTrue(outputDifference(base, layout, mask) > 10 * 1e-3);

        // Dropout on the network's input draws over its 784 values in both forms: alike, to rounding.
        MultiLayerConfiguration onInput = TestNetworks.mlp(3);
        onInput.getConf(0).getLayer().setIDropout(new Dropout(0.5));
        Network inputDropout = Network.init(onInput);
        assertNull(MaskRebuild.trainsDifferently(inputDropout, layout));
        assertTrue(outputDifference(inputDropout, layout, mask) < 1e-3);

        MultiLayerConfiguration noise = TestNetworks.mlp(3);
        ((BaseLayer) noise.getConf(0).getLayer()).setWeightNoise(new DropConnect(0.9));
        assertTrue(MaskRebuild.trainsDifferently(Network.init(noise), layout).startsWith("layer 'fc1' has weight noise"));
        MultiLayerConfiguration renormalised = TestNetworks.mlp(3);
        ((BaseLayer) renormalised.getConf(2).getLayer())
                .setGradientNormalization(GradientNormalization.RenormalizeL2PerLayer);
        assertTrue(MaskRebuild.trainsDifferently(Network.init(renormalised), layout).startsWith("layer 'out' normalises"));
        MultiLayerConfiguration clipped = TestNetworks.mlp(3);
        ((BaseLayer) clipped.getConf(2).getLayer())
                .setGradientNormalization(GradientNormalization.ClipElementWiseAbsoluteValue);
        assertNull(MaskRebuild.trainsDifferently(Network.init(clipped), layout), "clipping each gradient alone is alike");
    }

    /** The largest difference of validation outputs between the masked and rebuilt fine-tune of one candidate. */
    private static double outputDifference(Network base, PrunableLayout layout, Mask mask) {
        FineTuneSettings settings = new FineTuneSettings(1, 8, 32, 0.01);
        Workload masked = new Workload(NetworkBlueprint.of(base), fineTune, validation, layout, settings,
                new Fitness(0.5, 0.5), 1, null);
        Candidate candidate = new Candidate(0, mask, 29);
        INDArray x = validation.toDataSet().getFeatures();
        INDArray a = MaskEvaluator.fineTune(masked, candidate).network().output(x);
        INDArray b = MaskEvaluator.fineTuneRebuilt(masked.withFineTune(settings.withRebuilt(true)), candidate)
                .network().output(x);
        return Transforms.abs(a.sub(b)).maxNumber().doubleValue();
    }

    private static void assertSameTraining(Network base, PrunableLayout layout, Mask mask, double tolerance) {
        FineTuneSettings settings = new FineTuneSettings(1, 8, 32, 0.01);
        Workload masked = new Workload(NetworkBlueprint.of(base), fineTune, validation, layout, settings,
                new Fitness(0.5, 0.5), 1, null);
        Workload rebuilt = masked.withFineTune(settings.withRebuilt(true));
        Candidate candidate = new Candidate(0, mask, 29);

        MaskEvaluator.Trained full = MaskEvaluator.fineTune(masked, candidate);
        MaskEvaluator.Trained small = MaskEvaluator.fineTuneRebuilt(rebuilt, candidate);
        assertTrue(small.network().numParams() < full.network().numParams());
        assertEquals(full.parametersKept(), small.parametersKept(), "kept parameters");
        INDArray x = validation.toDataSet().getFeatures();
        INDArray a = full.network().output(x);
        INDArray b = small.network().output(x);
        double difference = Transforms.abs(a.sub(b)).maxNumber().doubleValue();
        assertTrue(difference < tolerance, "outputs differ by " + difference);
        // Training moved the outputs by far more than the tolerance: the comparison is of trained networks.
        double moved = Transforms.abs(a.sub(base.output(x))).maxNumber().doubleValue();
        assertTrue(moved > 5 * tolerance, "training moved the outputs by only " + moved);

        EvaluationResult r1 = MaskEvaluator.evaluate(masked, candidate);
        EvaluationResult r2 = MaskEvaluator.evaluate(rebuilt, candidate);
        assertFalse(r1.failed() || r2.failed(), r1.failure() + " / " + r2.failure());
        assertEquals(r1.parametersKept(), r2.parametersKept());
        assertEquals(r1.loss(), r2.loss(), tolerance, "validation loss");
        assertEquals(r1.accuracy(), r2.accuracy(), 2.0 / validation.size(), "validation accuracy");
    }
}
