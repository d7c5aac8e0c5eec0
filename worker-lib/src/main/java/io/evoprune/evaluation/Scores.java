package io.evoprune.evaluation;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import io.evoprune.model.Network;
import org.nd4j.evaluation.classification.ConfusionMatrix;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.evaluation.regression.RegressionEvaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A network's metrics on one dataset, from DL4J's evaluation classes: for classification accuracy ({@link Evaluation})
 * and macro-averaged precision, recall and F1 from its confusion matrix ({@link #macro}); for regression mean
 * squared and mean absolute error and R² (1 - SSE / SST, the share of the targets' variance explained: unit-free, so a
 * size penalty weighs alike whatever the targets' scale) averaged over the targets ({@link RegressionEvaluation}); the
 * network's own loss
 * for both, from the same forward pass where the output layer allows
 * ({@link Network#score(INDArray, INDArray, INDArray)}). Metrics that do not apply are NaN, and so is every metric
 * when the network's outputs are not finite.
 */
public record Scores(boolean regression, double accuracy, double loss, double precision, double recall, double f1,
                     double mse, double mae, double r2) implements Serializable {

    private static final int BATCH = 1024;

    /** Scores {@code net} on {@code data}; labels with one column per class are classification, else pass regression. */
    public static Scores of(Network net, DataSet data, boolean regression) {
        int outputs = (int) data.getLabels().size(1);
        Evaluation classes = regression ? null : new Evaluation(outputs);
        RegressionEvaluation real = regression ? new RegressionEvaluation(outputs) : null;
        double lossSum = 0;
        int n = data.numExamples();
        for (int start = 0; start < n; start += BATCH) {
            int end = Math.min(n, start + BATCH);
            INDArray x = rows(data.getFeatures(), start, end);
            INDArray y = rows(data.getLabels(), start, end);
            INDArray out = net.output(x);
            if (out.isNaN().any() || out.isInfinite().any()) {
                // A diverged network: no metric means anything, and DL4J's Evaluation throws on NaN.
                return new Scores(regression, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                        Double.NaN, Double.NaN);
            }
            if (regression) {
                real.eval(y, out);
            } else {
                classes.eval(y, out);
            }
            lossSum += net.score(x, y, out) * (end - start);
        }
        double loss = lossSum / n;
        if (regression) {
            return new Scores(true, Double.NaN, loss, Double.NaN, Double.NaN, Double.NaN,
                    real.averageMeanSquaredError(), real.averageMeanAbsoluteError(), real.averageRSquared());
        }
        double[] macro = macro(classes.getConfusion(), outputs);
        return new Scores(false, classes.accuracy(), loss, macro[0], macro[1], macro[2], Double.NaN, Double.NaN,
                Double.NaN);
    }

    /**
     * Macro-averaged precision, recall and F1 as scikit-learn defines them: the unweighted mean over every class
     * that occurs among the labels or the predictions, a ratio with nothing to divide counting 0. DL4J's own
     * averages leave out the classes a network never predicts (so a network that has collapsed onto one class
     * scores high) and, for two classes, report class 1's F1 alone.
     */
    static double[] macro(ConfusionMatrix<Integer> confusion, int classes) {
        double precision = 0;
        double recall = 0;
        double f1 = 0;
        int counted = 0;
        for (int c = 0; c < classes; c++) {
            double tp = confusion.getCount(c, c);
            double actual = confusion.getActualTotal(c);
            double predicted = confusion.getPredictedTotal(c);
            if (actual == 0 && predicted == 0) {
                continue;
            }
            counted++;
            precision += predicted == 0 ? 0 : tp / predicted;
            recall += actual == 0 ? 0 : tp / actual;
            f1 += 2 * tp / (actual + predicted);
        }
        return counted == 0 ? new double[] {Double.NaN, Double.NaN, Double.NaN}
                : new double[] {precision / counted, recall / counted, f1 / counted};
    }

    /** Classification scores. */
    public static Scores of(Network net, DataSet data) {
        return of(net, data, false);
    }

    /** The metrics that apply to this task, by their configuration names, for reports. */
    public Map<String, Double> metrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (Metric metric : Metric.values()) {
            if (metric.appliesTo(regression)) {
                m.put(metric.configName(), metric.value(this));
            }
        }
        return m;
    }

    /** Rows {@code start} (inclusive) to {@code end} of an array of any rank. */
    static INDArray rows(INDArray a, int start, int end) {
        INDArrayIndex[] index = new INDArrayIndex[a.rank()];
        index[0] = NDArrayIndex.interval(start, end);
        for (int i = 1; i < index.length; i++) {
            index[i] = NDArrayIndex.all();
        }
        return a.get(index);
    }
}
