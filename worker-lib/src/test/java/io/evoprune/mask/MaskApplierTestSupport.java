package io.evoprune.mask;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Slice sums computed in Java: ND4J M2.1's point/interval views of 4-D arrays misbehave at some indices. */
public final class MaskApplierTestSupport {
    private MaskApplierTestSupport() {
    }

    /** Sum of |x| over the elements whose index along {@code dim} is in [from, to); exactly 0 when pruned. */
    public static double abs(INDArray x, int dim, long from, long to) {
        double[] v = Nd4j.toFlattened('c', x).toDoubleVector();
        long[] shape = x.shape();
        long inner = 1;
        for (int d = dim + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        double sum = 0;
        for (int i = 0; i < v.length; i++) {
            long index = (i / inner) % shape[dim];
            if (index >= from && index < to) {
                sum += Math.abs(v[i]);
            }
        }
        return sum;
    }
}
