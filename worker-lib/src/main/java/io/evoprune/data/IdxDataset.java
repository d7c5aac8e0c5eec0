package io.evoprune.data;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * An MNIST-style dataset folder: {@code train-images-idx3-ubyte[.gz]}, {@code train-labels-idx1-ubyte[.gz]},
 * {@code t10k-images-idx3-ubyte[.gz]}, {@code t10k-labels-idx1-ubyte[.gz]}. Pixels are scaled to [0, 1].
 */
public final class IdxDataset {
    private IdxDataset() {
    }

    /**
     * The training and test parts of the folder at {@code dir}; {@code largestLabel} says where the largest class
     * label was read ("labels file f item i (from 0)", the first such item), for messages about the class count.
     */
    public record Parts(ArrayDataset train, ArrayDataset test, String largestLabel) {
    }

    /** One part and where its largest label was read (its class count is that label + 1). */
    private record Labelled(ArrayDataset data, String where) {
    }

    public static Parts load(String dir, Configuration hadoop) throws IOException {
        Path folder = new Path(dir);
        FileSystem fs;
        boolean exists;
        try {
            fs = DataFiles.fileSystem(folder, hadoop);
            exists = fs.exists(folder);
        } catch (IOException | IllegalArgumentException e) { // Hadoop wraps an unknown host in the latter
            throw new IOException("Dataset folder " + dir + " cannot be reached (key data.path): "
                    + DataFiles.reason(e), e);
        }
        if (!exists) {
            throw new IOException("Dataset folder " + dir + " does not exist (key data.path)");
        }
        if (fs.getFileStatus(folder).isFile()) {
            throw new IOException("data.path " + dir + " is a file, but data.format=idx reads the folder that holds"
                    + " train-images-idx3-ubyte(.gz) and the other three IDX files (" + folder.getParent() + "?);"
                    + " for a CSV, an image folder or a DataSet file, set data.format");
        }
        Labelled train = pair(fs, folder, "train-images-idx3-ubyte", "train-labels-idx1-ubyte", hadoop);
        Labelled test = pair(fs, folder, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", hadoop);
        if (train.data().featureSize() != test.data().featureSize()) {
            throw new IOException("Training images have " + train.data().featureSize() + " pixels but test images have "
                    + test.data().featureSize() + " in " + dir);
        }
        return new Parts(train.data(), test.data(), test.data().numClasses() > train.data().numClasses() ? test.where() : train.where());
    }

    private static Labelled pair(FileSystem fs, Path folder, String images, String labels, Configuration hadoop)
            throws IOException {
        Path imagePath = find(fs, folder, images);
        Path labelPath = find(fs, folder, labels);
        IdxReader.Idx x = IdxReader.read(imagePath, hadoop);
        IdxReader.Idx y = IdxReader.read(labelPath, hadoop);
        if (x.count() != y.count() || y.itemSize() != 1) {
            throw new IOException("Images " + imagePath + " hold " + x.count() + " items but labels " + labelPath
                    + " hold " + y.count() + (y.itemSize() != 1 ? " items of size " + y.itemSize() : ""));
        }
        float[] features = new float[x.data().length];
        for (int i = 0; i < features.length; i++) {
            features[i] = (x.data()[i] & 0xff) / 255f;
        }
        int[] classes = new int[y.count()];
        int largestAt = 0;
        for (int i = 0; i < classes.length; i++) {
            classes[i] = y.data()[i] & 0xff;
            if (classes[i] > classes[largestAt]) {
                largestAt = i;
            }
        }
        int numClasses = classes.length == 0 ? 0 : classes[largestAt] + 1;
        // Classes are the labels' range (largest + 1); a subset missing the top classes sets data.classes.
        // Images keep their channels-first shape [1, rows, cols]; a model that wants flat input sees them flat.
        int[] shape = x.dims().length == 3 ? new int[] {1, x.dims()[1], x.dims()[2]} : new int[] {x.itemSize()};
        return new Labelled(ArrayDataset.classification(features, shape, classes, numClasses),
                classes.length == 0 ? null : "labels file " + labelPath + " item " + largestAt + " (from 0)");
    }

    private static Path find(FileSystem fs, Path folder, String name) throws IOException {
        for (String candidate : new String[] {name + ".gz", name}) {
            Path p = new Path(folder, candidate);
            if (fs.exists(p)) {
                return p;
            }
        }
        throw new IOException("Dataset folder " + folder + " has no " + name + " or " + name + ".gz (key data.path)");
    }
}
