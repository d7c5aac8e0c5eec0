package io.evoprune.evaluation;

import io.evoprune.model.Network;
import java.io.Serializable;
import java.util.Locale;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.special.Beta;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Is the pruned network as good as the base? Both are scored on the same examples, so the comparison is paired,
 * which is far more sensitive than comparing two accuracies: only the examples on which the networks differ count.
 * Classification: McNemar's exact test on the examples exactly one network gets right, with the Agresti-Min
 * interval (half an example added to each cell of the 2x2 table) for the difference in accuracy. Regression: a
 * paired t-test and interval on the per-example squared error (mean over the targets), whose mean is the MSE.
 *
 * @param metric       "accuracy" or "mse"
 * @param base         the base's value of the metric on these examples
 * @param pruned       the pruned network's value
 * @param difference   {@code pruned - base}
 * @param lower        lower end of the 95% confidence interval for the difference
 * @param upper        upper end of it
 * @param pValue       two-sided, for "no difference"
 * @param test         which test gave {@code pValue}
 * @param baseBetter   examples only the base gets right (regression: where its squared error is smaller)
 * @param prunedBetter examples only the pruned network gets right (regression: where its squared error is smaller)
 */
public record PairedComparison(String metric, int examples, double base, double pruned, double difference,
                               double lower, double upper, double pValue, String test, long baseBetter,
                               long prunedBetter) implements Serializable {

    /** The level of the interval and of the verdict. */
    public static final double CONFIDENCE = 0.95;

    private static final double Z = 1.959963984540054; // standard normal quantile at 0.975
    private static final int BATCH = 1024;

    /**
     * Compares {@code pruned} with {@code base} on {@code data}. Null when there is nothing to compare: fewer than
     * two examples, outputs that are not one row per example, or outputs that are not finite (a diverged network,
     * which {@link Scores} already shows as NaN).
     */
    public static PairedComparison of(Network base, Network pruned, DataSet data, boolean regression) {
        return of(base, data.getFeatures(), pruned, data, regression);
    }

    /**
     * {@link #of(Network, Network, DataSet, boolean)} where the base reads the same examples in its own view
     * ({@code baseFeatures}: e.g. flat rows where the pruned network reads images).
     */
    public static PairedComparison of(Network base, INDArray baseFeatures, Network pruned, DataSet data,
                                      boolean regression) {
        int n = data.numExamples();
        if (baseFeatures.size(0) != n) {
            throw new IllegalArgumentException("the base's view holds " + baseFeatures.size(0) + " examples, the data "
                    + n);
        }
        if (n < 2 || data.getLabels().rank() != 2) {
            return null;
        }
        double[] baseLoss = new double[n];   // regression: squared error; classification: 1 if wrong
        double[] prunedLoss = new double[n];
        for (int start = 0; start < n; start += BATCH) {
            int end = Math.min(n, start + BATCH);
            INDArray x = Scores.rows(data.getFeatures(), start, end);
            INDArray y = Scores.rows(data.getLabels(), start, end);
            INDArray b = base.output(Scores.rows(baseFeatures, start, end));
            INDArray p = pruned.output(x);
            if (b.rank() != 2 || !finite(b) || !finite(p)) {
                return null;
            }
            losses(regression, y, b, baseLoss, start);
            losses(regression, y, p, prunedLoss, start);
        }
        return regression ? pairedT(baseLoss, prunedLoss) : mcNemar(baseLoss, prunedLoss);
    }

    /** From the 2x2 table's discordant cells: {@code baseOnly} right only for the base, {@code prunedOnly} the other way. */
    static PairedComparison mcNemar(int n, long baseRight, long prunedRight, long baseOnly, long prunedOnly) {
        double difference = (prunedRight - baseRight) / (double) n;
        // Agresti & Min (2005): add 0.5 to every cell, then the Wald interval for matched proportions.
        double b = baseOnly + 0.5;
        double c = prunedOnly + 0.5;
        double m = n + 2;
        double centre = (c - b) / m;
        double half = Z * Math.sqrt((b + c) - (c - b) * (c - b) / m) / m;
        long discordant = baseOnly + prunedOnly;
        double p = 1;
        if (discordant > 0) {
            // P(X <= k) for X ~ Bin(d, 1/2) is I_1/2(d - k, k + 1). Taken directly: BinomialDistribution gives it as
            // 1 - I_1/2(k + 1, d - k), which cancels to 0 below about 1e-16 (a clear difference read "p = 0").
            long k = Math.min(baseOnly, prunedOnly);
            p = Math.min(1, 2 * Beta.regularizedBeta(0.5, discordant - k, k + 1));
        }
        return new PairedComparison("accuracy", n, baseRight / (double) n, prunedRight / (double) n, difference,
                Math.max(-1, centre - half), Math.min(1, centre + half), p, "McNemar exact", baseOnly, prunedOnly);
    }

    /** Paired t on per-example squared errors. */
    static PairedComparison pairedT(double[] baseError, double[] prunedError) {
        int n = baseError.length;
        double baseSum = 0;
        double prunedSum = 0;
        long baseBetter = 0;
        long prunedBetter = 0;
        for (int i = 0; i < n; i++) {
            baseSum += baseError[i];
            prunedSum += prunedError[i];
            baseBetter += baseError[i] < prunedError[i] ? 1 : 0;
            prunedBetter += prunedError[i] < baseError[i] ? 1 : 0;
        }
        double mean = (prunedSum - baseSum) / n;
        double squares = 0;
        for (int i = 0; i < n; i++) {
            double d = prunedError[i] - baseError[i] - mean;
            squares += d * d;
        }
        double se = Math.sqrt(squares / (n - 1) / n);
        double lower = mean;
        double upper = mean;
        double p = mean == 0 ? 1 : 0;
        if (se > 0) {
            TDistribution t = new TDistribution(null, n - 1);
            double half = t.inverseCumulativeProbability(0.5 + CONFIDENCE / 2) * se;
            lower = mean - half;
            upper = mean + half;
            p = 2 * t.cumulativeProbability(-Math.abs(mean / se));
        }
        return new PairedComparison("mse", n, baseSum / n, prunedSum / n, mean, lower, upper, p, "paired t",
                baseBetter, prunedBetter);
    }

    /** "pruned better", "pruned worse" or "no significant difference", at the 5% level. */
    public String verdict() {
        if (pValue >= 1 - CONFIDENCE || difference == 0) {
            return "no significant difference";
        }
        boolean higherIsBetter = metric.equals("accuracy");
        return (difference > 0) == higherIsBetter ? "pruned better" : "pruned worse";
    }

    /** One line for the console and the text summaries. */
    public String describe() {
        return describe("base");
    }

    /** {@link #describe()} where the network the pruned one is compared with is not the base (e.g. "control"). */
    public String describe(String other) {
        boolean accuracy = metric.equals("accuracy");
        return String.format(Locale.ROOT, "%s pruned - %s %+.4f (95%% CI %+.4f to %+.4f) on %,d examples; %s %,d,"
                        + " %s %,d; %s p = %.2g: %s", metric, other, difference, lower, upper, examples,
                accuracy ? "right only for pruned" : "pruned closer on", prunedBetter, other, baseBetter, test, pValue,
                verdict());
    }

    private static PairedComparison mcNemar(double[] baseWrong, double[] prunedWrong) {
        long baseRight = 0;
        long prunedRight = 0;
        long baseOnly = 0;
        long prunedOnly = 0;
        for (int i = 0; i < baseWrong.length; i++) {
            boolean b = baseWrong[i] == 0;
            boolean p = prunedWrong[i] == 0;
            baseRight += b ? 1 : 0;
            prunedRight += p ? 1 : 0;
            baseOnly += b && !p ? 1 : 0;
            prunedOnly += p && !b ? 1 : 0;
        }
        return mcNemar(baseWrong.length, baseRight, prunedRight, baseOnly, prunedOnly);
    }

    private static void losses(boolean regression, INDArray labels, INDArray output, double[] into, int offset) {
        if (regression) {
            INDArray error = output.sub(labels);
            double[] squared = error.muli(error).mean(1).toDoubleVector();
            System.arraycopy(squared, 0, into, offset, squared.length);
        } else {
            long[] predicted = Nd4j.argMax(output, 1).toLongVector();
            long[] truth = Nd4j.argMax(labels, 1).toLongVector();
            for (int i = 0; i < predicted.length; i++) {
                into[offset + i] = predicted[i] == truth[i] ? 0 : 1;
            }
        }
    }

    private static boolean finite(INDArray a) {
        return !a.isNaN().any() && !a.isInfinite().any();
    }
}
