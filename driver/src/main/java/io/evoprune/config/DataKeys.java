package io.evoprune.config;

/** Configuration keys: where the data is, how it is read, split and normalised. */
public final class DataKeys {
    private DataKeys() {
    }

    public static final ConfigKey DATA_FORMAT = new ConfigKey("data.format", "idx",
            "How the data is stored: idx (MNIST-style folder), csv (delimited numbers, read by DataVec), images (one "
                    + "sub-folder per class, DataVec's layout) or dataset (DL4J DataSet.save files). See docs/inputs.md.");
    public static final ConfigKey DATA_PATH = new ConfigKey("data.path", "data/fashion-mnist-small",
            "idx: folder of train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], "
                    + "t10k-labels-idx1-ubyte[.gz]; csv, images, dataset: the training data (a file or a folder). Any "
                    + "Hadoop path (file://, hdfs://, s3a://).");
    public static final ConfigKey DATA_TEST_PATH = new ConfigKey("data.test-path", "",
            "Test data (file or folder) for csv, images and dataset; must be empty for idx.");
    public static final ConfigKey DATA_TASK = new ConfigKey("data.task", "classification",
            "classification (class labels, softmax) or regression (real targets, mean squared error; csv and dataset).");
    public static final ConfigKey DATA_CLASSES = new ConfigKey("data.classes", "0",
            "Number of classes; 0 = one more than the largest label in training and test data (images: one per folder).");
    public static final ConfigKey DATA_CSV_LABEL_COLUMN = new ConfigKey("data.csv.label-column", "-1",
            "CSV: column (0-based) of the class label, or of the first regression target; negative counts from the end.");
    public static final ConfigKey DATA_CSV_TARGETS = new ConfigKey("data.csv.target-count", "1",
            "CSV: consecutive label columns from data.csv.label-column; more than 1 only for regression.");
    public static final ConfigKey DATA_CSV_SKIP = new ConfigKey("data.csv.skip-lines", "0",
            "CSV: header lines to skip at the top of every file (1 for a header row).");
    public static final ConfigKey DATA_CSV_DELIMITER = new ConfigKey("data.csv.delimiter", ",",
            "CSV: field separator, one character; 'tab' or 'space' for those.");
    public static final ConfigKey DATA_IMAGES_HEIGHT = new ConfigKey("data.images.height", "28",
            "Images: every image is scaled to this height in pixels.");
    public static final ConfigKey DATA_IMAGES_WIDTH = new ConfigKey("data.images.width", "28",
            "Images: every image is scaled to this width in pixels.");
    public static final ConfigKey DATA_IMAGES_CHANNELS = new ConfigKey("data.images.channels", "1",
            "Images: 1 = grey, 3 = RGB; values in [0, 1], channels first ([channels, height, width]).");
    public static final ConfigKey DATA_SHUFFLE = new ConfigKey("data.shuffle", "auto",
            "Shuffle the training examples (seeded from search.seed) before the splits are cut, so validation, the last "
                    + "N, holds every class: auto = image folders only (grouped by class on disk), true, or false (file "
                    + "order). Test examples keep their order.");
    public static final ConfigKey DATA_NORMALIZE = new ConfigKey("data.normalize", "none",
            "Feature normalisation fitted on the training part only (never validation or test) and saved with the run "
                    + "as normalizer.bin: none, standardize (zero mean, unit variance) or minmax (to [0, 1]).");
    public static final ConfigKey DATA_FINETUNE_SIZE = new ConfigKey("data.finetune.size", "0",
            "Examples each candidate is fine-tuned on: the first N training examples; 0 = all before validation.");
    public static final ConfigKey DATA_VALIDATION_SIZE = new ConfigKey("data.validation.size", "2000",
            "Validation examples (drive fitness): the last N training examples, disjoint from fine-tuning data.");
    public static final ConfigKey DATA_TEST_SIZE = new ConfigKey("data.test.size", "0",
            "Test examples (reported, never used for selection): the first N of the test data; 0 = all.");
}
