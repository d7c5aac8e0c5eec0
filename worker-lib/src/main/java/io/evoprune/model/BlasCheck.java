package io.evoprune.model;

import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A self-test of ND4J's matrix product against a plain Java one, run once before a network of that data type
 * trains. ND4J's OpenBLAS 0.3.19 misjudges CPUs newer than itself, and on an Intel Emerald Rapids host the
 * kernels it then picked computed float64 products with relative errors near 1 (float32 ones stayed right): a
 * float64 network there would train on garbage without a word. The shapes are ones seen to fail.
 */
public final class BlasCheck {
    private static final int[][] SHAPES = {{210, 66, 81}, {228, 221, 140}};
    /** Far above float64 rounding on these sizes (about 1e-15), far below the errors seen (0.2 to 1). */
    private static final double TOLERANCE = 1e-9;

    private BlasCheck() {
    }

    /** Why products of {@code type} come out wrong on this machine, or null when they are right. */
    public static String problem(DataType type) {
        if (type != DataType.DOUBLE) {
            return null; // float32 products were right with every kernel tried; the check is for float64
        }
        Random random = new Random(11); // not ND4J's generator: the check must not move any seeded stream
        for (int[] s : SHAPES) {
            INDArray x = uniform(random, s[0], s[1]);
            INDArray w = uniform(random, s[1], s[2]);
            double error = worstError(x, w, x.mmul(w));
            if (!(error < TOLERANCE)) {
                return String.format(java.util.Locale.ROOT, "ND4J's BLAS computes wrong float64 matrix products on"
                        + " this CPU (relative error %.2g at %dx%dx%d): OpenBLAS picked kernels that do not fit it."
                        + " Set OPENBLAS_CORETYPE in the environment of every JVM that trains; conf/openblas-coretype.sh"
                        + " prints the value for this host (docs/troubleshooting.md)", error, s[0], s[1], s[2]);
            }
        }
        return null;
    }

    /** Fails, with the fix in the message, when products of {@code type} are wrong on this machine. */
    public static void require(DataType type) {
        String problem = problem(type);
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
    }

    /** The largest error of {@code product} against x.w, relative to the sum of absolute terms of each entry. */
    static double worstError(INDArray x, INDArray w, INDArray product) {
        double[][] a = x.toDoubleMatrix();
        double[][] b = w.toDoubleMatrix();
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b[0].length; j++) {
                double sum = 0;
                double magnitude = 0;
                for (int k = 0; k < b.length; k++) {
                    sum += a[i][k] * b[k][j];
                    magnitude += Math.abs(a[i][k] * b[k][j]);
                }
                worst = Math.max(worst, Math.abs(sum - product.getDouble(i, j)) / Math.max(magnitude, Double.MIN_NORMAL));
            }
        }
        return worst;
    }

    private static INDArray uniform(Random random, int rows, int columns) {
        double[][] values = new double[rows][columns];
        for (double[] row : values) {
            for (int j = 0; j < columns; j++) {
                row[j] = random.nextDouble() - 0.5;
            }
        }
        return Nd4j.createFromArray(values);
    }
}
