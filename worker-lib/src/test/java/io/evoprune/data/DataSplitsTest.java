package io.evoprune.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
}
