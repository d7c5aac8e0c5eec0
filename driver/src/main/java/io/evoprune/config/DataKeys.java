package io.evoprune.config;

/** Configuration keys: where the data is and how it is split. */
public final class DataKeys {
    private DataKeys() {
    }

    public static final ConfigKey DATA_PATH = new ConfigKey("data.path", "data/fashion-mnist-small",
            "Folder of MNIST-format IDX files (train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], "
                    + "t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]); any Hadoop path (file://, hdfs://, s3a://).");
    public static final ConfigKey DATA_FINETUNE_SIZE = new ConfigKey("data.finetune.size", "0",
            "Examples each candidate is fine-tuned on: the first N training examples; 0 = all before validation.");
    public static final ConfigKey DATA_VALIDATION_SIZE = new ConfigKey("data.validation.size", "2000",
            "Validation examples (drive fitness): the last N training examples, disjoint from fine-tuning data.");
    public static final ConfigKey DATA_TEST_SIZE = new ConfigKey("data.test.size", "0",
            "Test examples (reported, never used for selection): the first N of the test files; 0 = all.");
}
