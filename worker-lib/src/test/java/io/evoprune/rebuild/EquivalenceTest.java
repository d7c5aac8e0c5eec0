package io.evoprune.rebuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.mask.Granularity;
import io.evoprune.mask.Mask;
import io.evoprune.mask.MaskApplier;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.model.Network;
import java.util.Map;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The bound is relative to the outputs' magnitude: float32 rounding passes at any scale, a wrong rebuild does not. */
class EquivalenceTest {

    /** 6 inputs, {@code hidden} ReLU units, 2 identity outputs spread around 200 (regression targets in the hundreds). */
    static Network regression(int hidden) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)
                .updater(new Sgd(0.01)).list()
                .layer(new DenseLayer.Builder().name("fc").nIn(6).nOut(hidden).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).name("out").nIn(hidden).nOut(2)
                        .activation(Activation.IDENTITY).build())
                .build());
        net.init();
        net.getLayer(1).getParam("W").muli(50);
        net.getLayer(1).getParam("b").assign(200);
        return Network.of(net);
    }

    private record Masked(Network network, PrunableLayout layout, Mask mask) {
    }

    /** {@link #regression(int)} with 512 hidden units, every third (from unit 1) pruned. */
    private static Masked masked512() {
        Network masked = regression(512);
        PrunableLayout layout = PrunableLayout.of(masked.configuration(), Granularity.NEURON);
        Mask mask = Mask.of(layout.units(), i -> i % 3 != 1);
        MaskApplier.apply(masked, layout, mask);
        return new Masked(masked, layout, mask);
    }

    private static INDArray features(int rows) {
        Nd4j.getRandom().setSeed(1);
        return Nd4j.rand(DataType.FLOAT, rows, 6);
    }

    /** One float32 ulp at 200 is 2^-16 = 1.5e-5: above the old absolute bound of 1e-5, far within the relative one. */
    @Test
    void oneUlpAtOutputsAroundTwoHundredIsWithinTheBound() {
        Network reference = regression(16);
        Network nudged = Network.create(reference.configuration(), reference.params());
        nudged.param("out", "b").assign(Math.nextUp(200f));

        Equivalence.Difference d = Equivalence.of(reference, nudged, features(64));

        assertTrue(d.maxAbs() > 1e-5 && d.maxAbs() <= 2 * Math.ulp(200f), d.toString());
        assertTrue(d.scale() > 150, d.toString());
        assertTrue(d.holds(), d.toString());
    }

    /**
     * The real rebuild of a 512-unit layer: dropping zero terms changes how the float32 sums are blocked, and on
     * OpenBLAS the outputs around 200 differ by one ulp, which the old absolute bound rejected.
     */
    @Test
    void aCorrectRebuildOfANetworkWithLargeOutputsPasses() {
        Masked m = masked512();

        Equivalence.Difference d = Equivalence.of(m.network(), MaskRebuild.rebuild(m.network(), m.layout(), m.mask())
                .network(), features(512));

        assertTrue(d.holds(), d.toString());
    }

    /** A rebuild that keeps a pruned unit in place of a kept one must still fail, however large the outputs. */
    @Test
    void aWrongKeptUnitFailsTheCheck() {
        Masked m = masked512();
        int[] kept = IntStream.range(0, 512).filter(m.mask()::isKept).toArray();
        kept[0] = 1; // unit 0 is kept, unit 1 pruned: the right number of units, one of them the wrong one

        Rebuilt wrong = NetworkRebuilder.rebuild((MultiLayerNetwork) m.network().model(), Map.of(0, kept));
        Equivalence.Difference d = Equivalence.of(m.network(), wrong.network(), features(512));

        assertEquals(kept.length, wrong.network().param("fc", "W").columns());
        assertFalse(d.holds(), d.toString());
        assertTrue(d.maxAbs() > 10 * d.bound(), "far outside, not by rounding: " + d);
    }

    /** Outputs within [-1, 1] (probabilities) keep the absolute bound: the scale is never below 1. */
    @Test
    void smallOutputsKeepTheAbsoluteBound() {
        Network reference = regression(16);
        reference.param("out", "W").assign(0);
        reference.param("out", "b").assign(0.5);
        Network off = Network.create(reference.configuration(), reference.params());
        off.param("out", "b").assign(0.5 + 2e-5);

        Equivalence.Difference d = Equivalence.of(reference, off, features(8));

        assertEquals(1, d.scale());
        assertFalse(d.holds(), d.toString());
    }

    @Test
    void aNanOutputOnOneSideOnlyIsNeverEquivalent() {
        Network reference = regression(16);
        Network broken = Network.create(reference.configuration(), reference.params());
        broken.param("out", "b").putScalar(0, Double.NaN);

        assertFalse(Equivalence.of(reference, broken, features(8)).holds());
        assertFalse(Equivalence.of(broken, reference, features(8)).holds());
        // A masked network that diverged, rebuilt into one that diverges alike, is rebuilt faithfully.
        Equivalence.Difference alike = Equivalence.of(broken, Network.create(broken.configuration(), broken.params()),
                features(8));
        assertTrue(alike.holds(), alike.toString());
    }
}
