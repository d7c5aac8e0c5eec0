package io.evoprune.baseline;

import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The examples data-driven importance runs on: the first N fine-tuning examples. */
public final class ImportanceSample {
    private ImportanceSample() {
    }

    public static DataSet of(DataSet fineTune, int examples) {
        int n = Math.min(examples, fineTune.numExamples());
        return new DataSet(fineTune.getFeatures().get(NDArrayIndex.interval(0, n), NDArrayIndex.all()),
                fineTune.getLabels().get(NDArrayIndex.interval(0, n), NDArrayIndex.all()));
    }
}
