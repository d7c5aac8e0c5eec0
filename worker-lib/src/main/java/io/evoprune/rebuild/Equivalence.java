package io.evoprune.rebuild;

import io.evoprune.model.Network;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Does the rebuilt network compute what the masked one does? Compared output by output on real examples.
 *
 * <p>The bound is relative to the outputs' magnitude: the rebuild only drops zero-valued terms, which changes the
 * order float32 sums round in, and that rounding is relative to the magnitude of what is summed (one ulp at 200 is
 * 1.5e-5), so an absolute bound fails sound rebuilds of networks whose outputs are in the hundreds. The scale is the
 * reference's largest |output| over all the compared examples rather than each output's own, because terms of
 * hundreds can cancel to an output near 0 and keep their rounding; it is at least 1, so outputs within [-1, 1]
 * (probabilities) keep the absolute bound of 1e-5. A real rebuild bug (a wrong kept unit) moves outputs by a fair
 * part of their scale, far above 1e-5 of it.
 */
public final class Equivalence {
    /** The allowed difference as a fraction of {@link Difference#scale}: about 80 float32 ulps (2^-23 each). */
    public static final double BOUND = 1e-5;

    private static final int BATCH = 512;

    private Equivalence() {
    }

    /**
     * @param maxAbs largest |other - reference| over all outputs of all compared examples; NaN if one side only is NaN
     * @param scale  largest finite |reference output| over them, at least 1
     */
    public record Difference(double maxAbs, double scale) {
        /** The absolute difference allowed on these examples: {@link #BOUND} of {@code scale}. */
        public double bound() {
            return BOUND * scale;
        }

        /** False for a NaN difference too: an output NaN on one side only. */
        public boolean holds() {
            return maxAbs < bound();
        }
    }

    /** The absolute bound for outputs of {@code scale}, and where it comes from, as messages print it. */
    public static String describeBound(double scale) {
        return String.format(Locale.ROOT, "bound %.3g (relative bound %.0e of %.4g, the largest |output| of"
                + " the masked network, at least 1)", BOUND * scale, BOUND, scale);
    }

    /**
     * {@code other}'s outputs against {@code reference}'s over all {@code features} rows. An output both networks
     * make alike, NaN or infinite included, agrees: a masked network that diverged in fine-tuning is rebuilt faithfully
     * when the rebuilt one diverges the same way; NaN on one side only is a difference (NaN) that fails the check.
     */
    public static Difference of(Network reference, Network other, INDArray features) {
        double maxAbs = 0;
        double scale = 1;
        long n = features.size(0);
        for (long start = 0; start < n; start += BATCH) {
            INDArray x = features.get(NDArrayIndex.interval(start, Math.min(n, start + BATCH)));
            double[] expected = reference.output(x).dup('c').data().asDouble();
            double[] actual = other.output(x).dup('c').data().asDouble();
            for (int i = 0; i < expected.length; i++) {
                double e = expected[i];
                double a = actual[i];
                if (Double.isFinite(e)) {
                    scale = Math.max(scale, Math.abs(e));
                }
                if (e == a || Double.isNaN(e) && Double.isNaN(a)) {
                    continue;
                }
                double d = Math.abs(a - e);
                maxAbs = Double.isNaN(d) || Double.isNaN(maxAbs) ? Double.NaN : Math.max(maxAbs, d);
            }
        }
        return new Difference(maxAbs, scale);
    }
}
