package io.evoprune.data;

import java.io.Serializable;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Examples as flat primitive arrays: cheap to broadcast, rebuilt into one ND4J {@link DataSet} per executor.
 * Features are row-major, {@code featureSize()} values per example, laid out as {@code featureShape} (e.g.
 * {@code [784]} or an image's {@code [channels, height, width]}). Classification data has class indices in
 * {@code labels} (compact: 4 bytes an example, one-hot only on the executor); regression data has
 * {@code targetSize} real targets per example in {@code targets} and an empty {@code labels}.
 */
public record ArrayDataset(float[] features, int[] featureShape, int[] labels, int numClasses, float[] targets,
                           int targetSize) implements Serializable {

    public ArrayDataset {
        featureShape = featureShape.clone();
        long perExample = 1;
        for (int d : featureShape) {
            if (d <= 0) {
                throw new IllegalArgumentException("Feature shape " + Arrays.toString(featureShape) + " has a dimension <= 0");
            }
            perExample *= d;
        }
        if (featureShape.length == 0 || perExample > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Unusable feature shape " + Arrays.toString(featureShape));
        }
        boolean regression = targetSize > 0;
        int n = regression ? targets.length / targetSize : labels.length;
        if (regression && (labels.length != 0 || numClasses != 0 || targets.length % targetSize != 0)) {
            throw new IllegalArgumentException("Regression data holds " + targets.length + " targets, not a multiple of "
                    + targetSize + ", or also has class labels");
        }
        if (features.length != perExample * n) {
            throw new IllegalArgumentException("Features hold " + features.length + " values, expected "
                    + n + " examples x " + perExample + " " + Arrays.toString(featureShape));
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("Label " + labels[i] + " of example " + i + " is outside [0, "
                        + numClasses + ")");
            }
        }
    }

    /** A hash of the examples' values (features, labels or targets) and shape, the same in every JVM. */
    public long contentHash() {
        long h = Arrays.hashCode(features);
        h = h * 31 + Arrays.hashCode(featureShape);
        h = h * 31 + Arrays.hashCode(labels);
        h = h * 31 + numClasses;
        h = h * 31 + Arrays.hashCode(targets);
        return h * 31 + targetSize;
    }

    /** Classification data with flat features, {@code featureSize} values per example. */
    public ArrayDataset(float[] features, int featureSize, int[] labels, int numClasses) {
        this(features, new int[] {featureSize}, labels, numClasses, new float[0], 0);
    }

    public static ArrayDataset classification(float[] features, int[] featureShape, int[] labels, int numClasses) {
        return new ArrayDataset(features, featureShape, labels, numClasses, new float[0], 0);
    }

    public static ArrayDataset regression(float[] features, int[] featureShape, float[] targets, int targetSize) {
        return new ArrayDataset(features, featureShape, new int[0], 0, targets, targetSize);
    }

    @Override
    public int[] featureShape() {
        return featureShape.clone();
    }

    public boolean regression() {
        return targetSize > 0;
    }

    /** Feature values per example: the product of {@link #featureShape()}. */
    public int featureSize() {
        int n = 1;
        for (int d : featureShape) {
            n *= d;
        }
        return n;
    }

    /** Columns of the label matrix: classes, or regression targets. */
    public int outputSize() {
        return regression() ? targetSize : numClasses;
    }

    public int size() {
        return regression() ? targets.length / targetSize : labels.length;
    }

    /** The same examples seen with another per-example shape of the same size (a view change, no copy). */
    public ArrayDataset withFeatureShape(int... shape) {
        ArrayDataset reshaped = new ArrayDataset(features, shape, labels, numClasses, targets, targetSize);
        if (reshaped.featureSize() != featureSize()) {
            throw new IllegalArgumentException("Cannot view features of shape " + Arrays.toString(featureShape)
                    + " as " + Arrays.toString(shape));
        }
        return reshaped;
    }

    /** Images {@code [c, h, w]} reordered to channels-last {@code [h, w, c]}, as Keras-style layers read them. */
    public ArrayDataset toChannelsLast() {
        if (featureShape.length != 3) {
            throw new IllegalArgumentException("Only [channels, height, width] examples can be made channels-last, not "
                    + Arrays.toString(featureShape));
        }
        int c = featureShape[0];
        int plane = featureShape[1] * featureShape[2];
        int f = featureSize();
        float[] x = new float[features.length];
        for (int e = 0; e < size(); e++) {
            for (int ch = 0; ch < c; ch++) {
                for (int p = 0; p < plane; p++) {
                    x[e * f + p * c + ch] = features[e * f + ch * plane + p];
                }
            }
        }
        return new ArrayDataset(x, new int[] {featureShape[1], featureShape[2], c}, labels, numClasses, targets, targetSize);
    }

    /** The same examples with every feature multiplied by {@code factor}. */
    public ArrayDataset withFeaturesTimes(float factor) {
        float[] x = features.clone();
        for (int i = 0; i < x.length; i++) {
            x[i] *= factor;
        }
        return new ArrayDataset(x, featureShape, labels, numClasses, targets, targetSize);
    }

    /** The same classification examples declared with {@code classes} classes (at least as many as are used). */
    public ArrayDataset withNumClasses(int classes) {
        return new ArrayDataset(features, featureShape, labels, classes, targets, targetSize);
    }

    /** The examples in a random order fixed by {@code seed} (Fisher-Yates). */
    public ArrayDataset shuffled(long seed) {
        int n = size();
        int f = featureSize();
        int t = outputColumnsStored();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        float[] x = new float[features.length];
        int[] y = new int[labels.length];
        float[] z = new float[targets.length];
        for (int i = 0; i < n; i++) {
            System.arraycopy(features, order[i] * f, x, i * f, f);
            if (regression()) {
                System.arraycopy(targets, order[i] * t, z, i * t, t);
            } else {
                y[i] = labels[order[i]];
            }
        }
        return new ArrayDataset(x, featureShape, y, numClasses, z, targetSize);
    }

    private int outputColumnsStored() {
        return regression() ? targetSize : 1;
    }

    /** Examples [from, to) as a new dataset. */
    public ArrayDataset slice(int from, int to) {
        if (from < 0 || to > size() || from > to) {
            throw new IllegalArgumentException("Slice [" + from + ", " + to + ") is outside a dataset of " + size());
        }
        int f = featureSize();
        return new ArrayDataset(Arrays.copyOfRange(features, from * f, to * f), featureShape,
                regression() ? labels : Arrays.copyOfRange(labels, from, to), numClasses,
                regression() ? Arrays.copyOfRange(targets, from * targetSize, to * targetSize) : targets, targetSize);
    }

    /** Features [n, ...featureShape] and labels [n, outputSize] (one-hot for classes), float32. */
    public DataSet toDataSet() {
        long[] shape = new long[featureShape.length + 1];
        shape[0] = size();
        for (int i = 0; i < featureShape.length; i++) {
            shape[i + 1] = featureShape[i];
        }
        INDArray x = Nd4j.create(features, shape, 'c');
        if (regression()) {
            return new DataSet(x, Nd4j.create(targets, new long[] {size(), targetSize}, 'c'));
        }
        float[] oneHot = new float[size() * numClasses];
        for (int i = 0; i < labels.length; i++) {
            oneHot[i * numClasses + labels[i]] = 1f;
        }
        INDArray y = Nd4j.create(oneHot, new long[] {size(), numClasses}, 'c');
        return new DataSet(x, y);
    }

    /**
     * Flat primitive copy of a DataSet: features flattened per example with the given shape; labels one-hot (or
     * probabilities: the arg-max is taken) for classification, real values for regression.
     */
    public static ArrayDataset of(DataSet data, boolean regression) {
        INDArray x = data.getFeatures();
        INDArray y = data.getLabels();
        int n = (int) x.size(0);
        int[] shape = new int[x.rank() - 1];
        for (int i = 1; i < x.rank(); i++) {
            shape[i - 1] = (int) x.size(i);
        }
        float[] features = x.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
        if (y.rank() != 2 || y.size(0) != n) {
            throw new IllegalArgumentException("Labels of shape " + Arrays.toString(y.shape())
                    + " do not match " + n + " examples as a [examples, outputs] matrix");
        }
        if (regression) {
            return regression(features, shape, y.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat(),
                    (int) y.size(1));
        }
        int[] classes = y.argMax(1).toIntVector();
        return classification(features, shape, classes, (int) y.size(1));
    }
}
