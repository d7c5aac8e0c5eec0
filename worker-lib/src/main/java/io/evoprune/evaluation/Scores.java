package io.evoprune.evaluation;

import java.io.Serializable;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Classification metrics of a network on one dataset (macro-averaged precision, recall, F1); all NaN when the
 * network's outputs are not finite.
 */
public record Scores(double accuracy, double loss, double precision, double recall, double f1) implements Serializable {

    private static final int BATCH = 1024;

    public static Scores of(MultiLayerNetwork net, DataSet data) {
        Evaluation eval = new Evaluation((int) data.getLabels().size(1));
        double lossSum = 0;
        int n = data.numExamples();
        for (int start = 0; start < n; start += BATCH) {
            int end = Math.min(n, start + BATCH);
            INDArray x = data.getFeatures().get(NDArrayIndex.interval(start, end), NDArrayIndex.all());
            INDArray y = data.getLabels().get(NDArrayIndex.interval(start, end), NDArrayIndex.all());
            INDArray out = net.output(x, false);
            if (out.isNaN().any() || out.isInfinite().any()) {
                // A diverged network: no metric means anything, and DL4J's Evaluation throws on NaN.
                return new Scores(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }
            eval.eval(y, out);
            lossSum += net.score(new DataSet(x, y), false) * (end - start);
        }
        return new Scores(eval.accuracy(), lossSum / n, eval.precision(), eval.recall(), eval.f1());
    }
}
