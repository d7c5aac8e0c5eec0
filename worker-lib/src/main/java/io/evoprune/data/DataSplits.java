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
        return new DataSplits(train.slice(0, available), train.slice(0, fine), train.slice(available, n),
                firstTests(test, testSize));
    }

    /** The test examples a run reports on: the first {@code testSize} of the test data (0 = all). */
    public static ArrayDataset firstTests(ArrayDataset test, int testSize) {
        int tests = testSize == 0 ? test.size() : testSize;
        if (tests < 0 || tests > test.size()) {
            throw new IllegalArgumentException("data.test.size must be in [0, " + test.size() + "] for test data of "
                    + test.size() + " examples (data.test-path, or an idx folder's t10k files), but was " + testSize);
        }
        return test.slice(0, tests);
    }

    /** Each part through {@code f}. */
    public DataSplits map(java.util.function.UnaryOperator<ArrayDataset> f) {
        return new DataSplits(f.apply(pretrain), f.apply(fineTune), f.apply(validation), f.apply(test));
    }

    /**
     * A warning when the validation part lacks classes common in the training examples before it, or null:
     * validation is cut from the end of the training data, so a file sorted by class leaves some classes out of it.
     * A class counts as common when, were the data shuffled, at least 3 of its examples would fall in validation
     * (its share of the earlier examples times the validation size); a few stray labels do not warn.
     */
    public String validationCoverage() {
        if (validation.regression()) {
            return null;
        }
        int[] earlier = new int[pretrain.numClasses()];
        for (int label : pretrain.labels()) {
            earlier[label]++;
        }
        boolean[] seen = new boolean[validation.numClasses()];
        for (int label : validation.labels()) {
            seen[label] = true;
        }
        java.util.List<Integer> missing = new java.util.ArrayList<>();
        int held = 0;
        for (int c = 0; c < earlier.length; c++) {
            boolean common = (long) earlier[c] * validation.size() >= 3L * pretrain.size();
            if (common && (c >= seen.length || !seen[c])) {
                missing.add(c);
                held += earlier[c];
            }
        }
        if (missing.isEmpty()) {
            return null;
        }
        return "the validation split (the last " + validation.size() + " training examples) holds no example of"
                + " class(es) " + missing + ", which hold " + held + " of the " + pretrain.size() + " training examples"
                + " before it; the data may be sorted by class: set data.shuffle=true (docs/inputs.md, Splits)";
    }
}
