package io.evoprune.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The cut of a training set, and the warning for data sorted by class. */
class DataSplitsTest {
    private static ArrayDataset labelled(int[] labels) {
        return ArrayDataset.classification(new float[labels.length], new int[] {1}, labels, 3);
    }

    @Test
    void validationIsTheLastExamplesAndWarnsWhenItMissesClasses() {
        int[] sorted = {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2};
        DataSplits cut = DataSplits.cut(labelled(sorted), labelled(new int[] {0, 1, 2}), 0, 3, 0);
        assertEquals(9, cut.pretrain().size());
        assertEquals(3, cut.validation().size());
        String warning = cut.validationCoverage();
        assertTrue(warning != null && warning.contains("holds 1 of the 3 classes") && warning.contains("data.shuffle=true"),
                warning);

        int[] mixed = {0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2};
        assertNull(DataSplits.cut(labelled(mixed), labelled(new int[] {0, 1, 2}), 0, 3, 0).validationCoverage());
    }
}
