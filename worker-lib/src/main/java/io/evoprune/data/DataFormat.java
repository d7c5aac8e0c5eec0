package io.evoprune.data;

import io.evoprune.evaluation.Checks;

/** How a dataset is stored; each format reads its training and test parts through Hadoop's FileSystem. */
public enum DataFormat {
    /** MNIST-style IDX files in one folder (train-* and t10k-*). */
    IDX,
    /** Delimited text, one example a line: numeric features and a label (or target) column, read by DataVec. */
    CSV,
    /** A folder per class holding image files (DataVec's label-from-parent-folder convention). */
    IMAGES,
    /** DL4J {@code DataSet.save} files: one file, or a folder of them. */
    DATASET;

    public static DataFormat parse(String key, String value) {
        return Checks.choice(DataFormat.class, key, value);
    }

    public String configName() {
        return Checks.configName(this);
    }
}
