package io.evoprune.data;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.nd4j.linalg.dataset.DataSet;

/** DL4J {@code DataSet.save} files: one file, or a folder whose files (in path order) are joined. */
public final class DataSetFiles {
    private DataSetFiles() {
    }

    public static ArrayDataset load(String location, String key, boolean regression, Configuration hadoop)
            throws IOException {
        List<DataSet> parts = new ArrayList<>();
        String first = null;
        for (FileStatus file : DataFiles.files(location, key, hadoop)) {
            DataSet part = new DataSet();
            try (InputStream in = DataFiles.withoutChecksums(file.getPath().getFileSystem(hadoop)).open(file.getPath())) {
                part.load(in);
            } catch (RuntimeException e) {
                throw new IOException("Data file " + DataFiles.shown(file.getPath()) + " is not a DL4J DataSet file (DataSet.save): " + e, e);
            }
            if (part.getFeatures() == null || part.getLabels() == null || part.numExamples() == 0) {
                throw new IOException("Data file " + DataFiles.shown(file.getPath()) + " holds no features or no labels");
            }
            for (String what : new String[] {"features", "labels"}) {
                org.nd4j.linalg.api.ndarray.INDArray values = what.equals("features") ? part.getFeatures() : part.getLabels();
                if (values.isNaN().any() || values.isInfinite().any()) {
                    throw new IOException("Data file " + DataFiles.shown(file.getPath()) + " has NaN or infinite " + what
                            + " (fill or drop missing values before the search)");
                }
            }
            if (!regression) {
                requireOneHot(part.getLabels(), file.getPath().toString());
            }
            if (!parts.isEmpty() && !java.util.Arrays.equals(shapeOf(parts.get(0)), shapeOf(part))) {
                throw new IOException("Data file " + DataFiles.shown(file.getPath()) + " has examples of shape "
                        + java.util.Arrays.toString(shapeOf(part)) + " (features, labels) but " + first
                        + " has " + java.util.Arrays.toString(shapeOf(parts.get(0))));
            }
            if (first == null) {
                first = file.getPath().toString();
            }
            parts.add(part);
        }
        DataSet all = parts.size() == 1 ? parts.get(0) : DataSet.merge(parts);
        try {
            return ArrayDataset.of(all, regression);
        } catch (IllegalArgumentException e) {
            throw new IOException("DataSet data " + location + ": " + e.getMessage(), e);
        }
    }

    /**
     * Classification labels must be one-hot (or class probabilities) rows of [examples, classes]: the arg-max of
     * anything else reads class indices [n, 1] as one class and an all-zero row as class 0.
     */
    private static void requireOneHot(org.nd4j.linalg.api.ndarray.INDArray labels, String file) throws IOException {
        if (labels.rank() != 2) {
            return; // ArrayDataset.of names the shape
        }
        long n = labels.size(0);
        long classes = labels.size(1);
        float[][] rows = labels.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).toFloatMatrix();
        if (classes == 1) {
            boolean indices = java.util.Arrays.stream(rows).allMatch(r -> r[0] >= 0 && r[0] == Math.rint(r[0]));
            throw new IOException("Data file " + file + " has labels of shape [" + n + ", 1]" + (indices
                    ? ", which look like class indices; classification needs them one-hot, [examples, classes]"
                    : "; classification needs one-hot labels [examples, classes]") + " (or set data.task=regression)");
        }
        for (int i = 0; i < rows.length; i++) {
            double sum = 0;
            boolean negative = false;
            for (float v : rows[i]) {
                sum += v;
                negative |= v < 0;
            }
            if (negative || Math.abs(sum - 1) > 1e-3) {
                throw new IOException("Data file " + file + " example " + i + " has labels "
                        + java.util.Arrays.toString(rows[i]) + ", not one-hot: classification needs each row of the"
                        + " [" + n + ", " + classes + "] labels to hold one 1 (or class probabilities summing to 1)");
            }
        }
    }

    private static long[] shapeOf(DataSet d) {
        long[] f = d.getFeatures().shape();
        long[] l = d.getLabels().shape();
        long[] s = new long[f.length + l.length - 2];
        System.arraycopy(f, 1, s, 0, f.length - 1);
        System.arraycopy(l, 1, s, f.length - 1, l.length - 1);
        return s;
    }
}
