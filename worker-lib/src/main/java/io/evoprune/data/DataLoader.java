package io.evoprune.data;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/** Reads the training and test parts of any supported format and checks that they agree with each other. */
public final class DataLoader {
    private DataLoader() {
    }

    /**
     * The training and test parts of a dataset, with the same feature shape and the same label space;
     * {@code largestLabel} says where the largest class label was read (CSV: "CSV file f line n"; IDX: "labels
     * file f item i (from 0)"), or is null.
     */
    public record Parts(ArrayDataset train, ArrayDataset test, String largestLabel) {
        public Parts(ArrayDataset train, ArrayDataset test) {
            this(train, test, null);
        }
    }

    /**
     * Loads {@code source}; its training examples are shuffled with {@code shuffleSeed} when the source says so
     * (validation is cut from their end, so data sorted by class must be shuffled), or else keep file order.
     */
    public static Parts load(DataSource source, long shuffleSeed, Configuration hadoop) throws IOException {
        Parts parts = switch (source.format()) {
            case IDX -> {
                IdxDataset.Parts idx = IdxDataset.load(source.path(), hadoop);
                yield new Parts(idx.train(), idx.test(), idx.largestLabel());
            }
            case CSV -> {
                CsvDataset.Read train = CsvDataset.read(source.path(), "data.path", source.csv(), source.regression(),
                        hadoop);
                CsvDataset.Read test = CsvDataset.read(source.testPath(), "data.test-path", source.csv(),
                        source.regression(), hadoop);
                boolean testLarger = test.data().numClasses() > train.data().numClasses();
                yield new Parts(train.data(), test.data(), testLarger ? test.largestLabel() : train.largestLabel());
            }
            case IMAGES -> {
                List<String> classes = ImageFolderDataset.classNames(source.path(), "data.path", hadoop);
                yield new Parts(ImageFolderDataset.load(source.path(), "data.path", classes, source.images(), hadoop),
                        ImageFolderDataset.load(source.testPath(), "data.test-path", classes, source.images(), hadoop));
            }
            case DATASET -> new Parts(DataSetFiles.load(source.path(), "data.path", source.regression(), hadoop),
                    DataSetFiles.load(source.testPath(), "data.test-path", source.regression(), hadoop));
        };
        if (source.shuffle()) {
            parts = new Parts(parts.train().shuffled(shuffleSeed), parts.test(), parts.largestLabel());
        }
        return agree(source, parts);
    }

    private static Parts agree(DataSource source, Parts parts) throws IOException {
        ArrayDataset train = parts.train();
        ArrayDataset test = parts.test();
        String where = source.format() == DataFormat.IDX ? source.path() : source.path() + " and "
                + source.testPath();
        if (!Arrays.equals(train.featureShape(), test.featureShape())) {
            throw new IOException("Training examples have feature shape " + Arrays.toString(train.featureShape())
                    + " but test examples have " + Arrays.toString(test.featureShape()) + " (" + where + ")");
        }
        if (train.regression()) {
            if (train.targetSize() != test.targetSize()) {
                throw new IOException("Training examples have " + train.targetSize() + " targets but test examples have "
                        + test.targetSize() + " (" + where + ")");
            }
            return parts;
        }
        int used = Math.max(train.numClasses(), test.numClasses());
        int classes = source.classes() > 0 ? source.classes() : used;
        if (used > classes) {
            throw new IOException("The data at " + where + " uses " + used + " classes (labels 0.." + (used - 1)
                    + ") but data.classes is " + classes);
        }
        if (classes < 2) {
            throw new IOException("The data at " + where + " has a single class; classification needs at least two");
        }
        return new Parts(train.withNumClasses(classes), test.withNumClasses(classes), parts.largestLabel());
    }

    /**
     * Refuses classification data whose class count, inferred from the labels (data.classes=0) for a network
     * built to fit them, leaves most classes without a single example: a stray label (100000 among 0, 1, 2)
     * would otherwise silently build a network with that many outputs. Where some classes but not most are empty
     * (a stray 7 among 0, 1, 2 builds 8 outputs), returns the warning to print; null where every class has an
     * example, or the count is the user's. Call it only where the class count comes from the data, not from a
     * model the user brings.
     */
    public static String requireExamplesOfMostClasses(DataSource source, Parts parts) throws IOException {
        int[] empty = emptyClasses(source, parts);
        int classes = parts.train().numClasses();
        long used = classes - empty.length;
        if (empty.length == 0) {
            return null;
        }
        if (used * 2 >= classes) {
            String listed = Arrays.stream(empty).limit(10).mapToObj(Integer::toString)
                    .collect(java.util.stream.Collectors.joining(", ")) + (empty.length > 10 ? ", ..." : "");
            return inferred(source, parts) + ", but class" + (empty.length == 1 ? " " : "es ") + listed + " ha"
                    + (empty.length == 1 ? "s" : "ve") + " no example: the network gets an output for each. Set"
                    + " data.classes if that is meant, else " + (source.format() == DataFormat.IMAGES
                    ? "remove the empty class folders" : "correct the label");
        }
        throw new IOException(inferred(source, parts) + ", but only " + used + " of them have examples:"
                + " classification labels must be class indices 0..k-1 for k classes"
                + (source.format() == DataFormat.CSV ? " (check data.csv.label-column, now "
                + source.csv().labelColumn() + ")" : "") + "; set data.classes to keep a class count with so many"
                + " empty classes");
    }

    /** The classes in 0..k-1 with no example in the training or test files, where k was inferred from them. */
    private static int[] emptyClasses(DataSource source, Parts parts) {
        if (parts.train().regression() || source.classes() > 0) {
            return new int[0];
        }
        boolean[] seen = new boolean[parts.train().numClasses()];
        java.util.stream.IntStream.concat(Arrays.stream(parts.train().labels()), Arrays.stream(parts.test().labels()))
                .forEach(label -> seen[label] = true);
        return java.util.stream.IntStream.range(0, seen.length).filter(c -> !seen[c]).toArray();
    }

    private static String inferred(DataSource source, Parts parts) {
        int classes = parts.train().numClasses();
        String where = source.format() == DataFormat.IDX ? source.path() : source.path() + " and " + source.testPath();
        return "The data at " + where + " has labels up to " + (classes - 1)
                + (parts.largestLabel() != null ? " (" + parts.largestLabel() + ")" : "") + ", so " + classes
                + " classes";
    }
}
