package io.evoprune.data;

import java.io.Serializable;

/**
 * The three disjoint parts of a search: fine-tuning data (retrains each candidate), validation (drives
 * fitness) and test (reported only, never used for selection), plus the data the base is pretrained on.
 */
public record DataSplits(ArrayDataset pretrain, ArrayDataset fineTune, ArrayDataset validation, ArrayDataset test)
        implements Serializable {

    /**
     * Cuts a training set: validation is its last {@code validationSize} examples, fine-tuning its first
     * {@code fineTuneSize} (0 = all before validation), pretraining everything before validation.
     */
    public static DataSplits cut(ArrayDataset train, ArrayDataset test, int fineTuneSize, int validationSize,
                                 int testSize) {
        int n = train.size();
        if (validationSize <= 0 || validationSize >= n) {
            throw new IllegalArgumentException("data.validation.size must be in [1, " + (n - 1)
                    + "] for a training set of " + n + " examples, but was " + validationSize);
        }
        int available = n - validationSize;
        int fine = fineTuneSize == 0 ? available : fineTuneSize;
        if (fine < 0 || fine > available) {
            throw new IllegalArgumentException("data.finetune.size must be in [0, " + available + "] (the "
                    + n + " training examples less " + validationSize + " for validation), but was " + fineTuneSize);
        }
        int tests = testSize == 0 ? test.size() : testSize;
        if (tests < 0 || tests > test.size()) {
            throw new IllegalArgumentException("data.test.size must be in [0, " + test.size() + "], but was " + testSize);
        }
        return new DataSplits(train.slice(0, available), train.slice(0, fine), train.slice(available, n),
                test.slice(0, tests));
    }
}
