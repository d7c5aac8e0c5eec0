package io.evoprune.rebuild;

import io.evoprune.model.Network;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Does the rebuilt network compute what the masked one does? Compared output by output on real examples. */
public final class Equivalence {
    /** The bound the rebuild promises: float32 sums over fewer (only zero-valued) terms differ by rounding only. */
    public static final double BOUND = 1e-5;

    private static final int BATCH = 512;

    private Equivalence() {
    }

    /** The largest absolute difference between the two networks' outputs over all {@code features} rows. */
    public static double maxAbsDifference(Network a, Network b, INDArray features) {
        double max = 0;
        long n = features.size(0);
        for (long start = 0; start < n; start += BATCH) {
            INDArray x = features.get(NDArrayIndex.interval(start, Math.min(n, start + BATCH)));
            INDArray diff = a.output(x).sub(b.output(x));
            max = Math.max(max, org.nd4j.linalg.ops.transforms.Transforms.abs(diff, false).maxNumber().doubleValue());
        }
        return max;
    }
}
