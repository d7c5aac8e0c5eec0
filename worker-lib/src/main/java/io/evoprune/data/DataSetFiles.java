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
            try (InputStream in = file.getPath().getFileSystem(hadoop).open(file.getPath())) {
                part.load(in);
            } catch (RuntimeException e) {
                throw new IOException("Data file " + file.getPath() + " is not a DL4J DataSet file (DataSet.save): " + e, e);
            }
            if (part.getFeatures() == null || part.getLabels() == null || part.numExamples() == 0) {
                throw new IOException("Data file " + file.getPath() + " holds no features or no labels");
            }
            for (String what : new String[] {"features", "labels"}) {
                org.nd4j.linalg.api.ndarray.INDArray values = what.equals("features") ? part.getFeatures() : part.getLabels();
                if (values.isNaN().any() || values.isInfinite().any()) {
                    throw new IOException("Data file " + file.getPath() + " has NaN or infinite " + what
                            + " (fill or drop missing values before the search)");
                }
            }
            if (!parts.isEmpty() && !java.util.Arrays.equals(shapeOf(parts.get(0)), shapeOf(part))) {
                throw new IOException("Data file " + file.getPath() + " has examples of shape "
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

    private static long[] shapeOf(DataSet d) {
        long[] f = d.getFeatures().shape();
        long[] l = d.getLabels().shape();
        long[] s = new long[f.length + l.length - 2];
        System.arraycopy(f, 1, s, 0, f.length - 1);
        System.arraycopy(l, 1, s, f.length - 1, l.length - 1);
        return s;
    }
}
