package io.evoprune.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The cut of a training set, and the warning for data sorted by class. */
class DataSplitsTest {
    private static ArrayDataset labelled(int[] labels) {
        return ArrayDataset.classification(new float[labels.length], new int[] {1}, labels,
                java.util.Arrays.stream(labels).max().orElse(0) + 1);
    }

    /** {@code n} examples labelled 0, 1, 2, 0, 1, 2, ... */
    private static int[] mixed(int n) {
        return java.util.stream.IntStream.range(0, n).map(i -> i % 3).toArray();
    }

    @Test
    void validationIsTheLastExamplesAndWarnsWhenItMissesClasses() {
        int[] sorted = java.util.stream.IntStream.range(0, 120).map(i -> i / 40).toArray();
        DataSplits cut = DataSplits.cut(labelled(sorted), labelled(new int[] {0, 1, 2}), 0, 30, 0);
        assertEquals(90, cut.pretrain().size());
        assertEquals(30, cut.validation().size());
        String warning = cut.validationCoverage();
        assertTrue(warning != null && warning.contains("holds no example of class(es) [0, 1], which hold 80 of the 90")
                && warning.contains("data.shuffle=true"), warning);

        assertNull(DataSplits.cut(labelled(mixed(120)), labelled(new int[] {0, 1, 2}), 0, 30, 0).validationCoverage());
    }

    @Test
    void aFewStrayLabelsDoNotLookLikeDataSortedByClass() {
        // 600 shuffled examples of classes 0..2 and two stray labels (7, 9): no sign of sorting.
        int[] labels = mixed(600);
        labels[10] = 7;
        labels[200] = 9;
        DataSplits cut = DataSplits.cut(labelled(labels), labelled(new int[] {0, 1, 2}), 0, 100, 0);
        assertNull(cut.validationCoverage(), cut.validationCoverage());
    }

    @Test
    void splitSizesAreCheckedAtTheEndsOfTheirRanges() {
        ArrayDataset train = labelled(mixed(10));
        ArrayDataset test = labelled(mixed(4));
        assertEquals(1, DataSplits.cut(train, test, 0, 1, 0).validation().size());
        assertEquals(9, DataSplits.cut(train, test, 0, 9, 0).validation().size());
        assertEquals("data.validation.size must be in [1, 9] for a training set of 10 examples, but was 0",
                assertThrows(IllegalArgumentException.class, () -> DataSplits.cut(train, test, 0, 0, 0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> DataSplits.cut(train, test, 0, 10, 0));

        assertEquals(7, DataSplits.cut(train, test, 7, 3, 0).fineTune().size());
        assertEquals("data.finetune.size must be in [0, 7] (the 10 training examples less 3 for validation), but was 8",
                assertThrows(IllegalArgumentException.class, () -> DataSplits.cut(train, test, 8, 3, 0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> DataSplits.cut(train, test, -1, 3, 0));

        assertEquals(4, DataSplits.cut(train, test, 0, 3, 4).test().size());
        assertEquals("data.test.size must be in [0, 4] for test data of 4 examples (data.test-path, or an idx folder's t10k"
                + " files), but was 5",
                assertThrows(IllegalArgumentException.class, () -> DataSplits.cut(train, test, 0, 3, 5)).getMessage());
    }

    @Test
    void aClassExpectedExactlyThreeTimesInValidationCountsAsCommon() {
        // 60 examples before validation, 12 of class 2: 12 * 15 / 60 = 3 expected among the last 15, none there
        int[] labels = new int[75];
        for (int i = 0; i < 60; i++) {
            labels[i] = i < 12 ? 2 : i % 2;
        }
        for (int i = 60; i < 75; i++) {
            labels[i] = i % 2;
        }
        String warning = DataSplits.cut(labelled(labels), labelled(new int[] {0, 1, 2}), 0, 15, 0).validationCoverage();
        assertTrue(warning != null && warning.contains("class(es) [2], which hold 12 of the 60"), warning);
    }
}
