package io.evoprune.data;

import java.io.Serializable;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Examples as flat primitive arrays: cheap to broadcast, rebuilt into one ND4J {@link DataSet} per executor.
 * Features are row-major, {@code featureSize} values per example; labels are class indices.
 */
public record ArrayDataset(float[] features, int featureSize, int[] labels, int numClasses) implements Serializable {

    public ArrayDataset {
        if (featureSize <= 0 || features.length != (long) featureSize * labels.length) {
            throw new IllegalArgumentException("Features hold " + features.length + " values, expected "
                    + labels.length + " examples x " + featureSize);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("Label " + labels[i] + " of example " + i + " is outside [0, "
                        + numClasses + ")");
            }
        }
    }

    public int size() {
        return labels.length;
    }

    /** Examples [from, to) as a new dataset. */
    public ArrayDataset slice(int from, int to) {
        if (from < 0 || to > size() || from > to) {
            throw new IllegalArgumentException("Slice [" + from + ", " + to + ") is outside a dataset of " + size());
        }
        return new ArrayDataset(Arrays.copyOfRange(features, from * featureSize, to * featureSize), featureSize,
                Arrays.copyOfRange(labels, from, to), numClasses);
    }

    /** Features [n, featureSize] and one-hot labels [n, numClasses], float32. */
    public DataSet toDataSet() {
        INDArray x = Nd4j.create(features, new long[] {size(), featureSize}, 'c');
        float[] oneHot = new float[size() * numClasses];
        for (int i = 0; i < labels.length; i++) {
            oneHot[i * numClasses + labels[i]] = 1f;
        }
        INDArray y = Nd4j.create(oneHot, new long[] {size(), numClasses}, 'c');
        return new DataSet(x, y);
    }
}
