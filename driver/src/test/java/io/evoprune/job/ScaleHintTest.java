package io.evoprune.job;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.data.ArrayDataset;
import org.junit.jupiter.api.Test;

class ScaleHintTest {
    @Test
    void rawFeaturesFarFromUnitScaleGetAHintNamingTheLargest() {
        ArrayDataset csv = new ArrayDataset(new float[] {0.5f, 120f, -3f, -300f}, 2, new int[] {0, 1}, 2);
        String hint = RunInputs.scaleHint(csv, "data/x.csv");
        assertTrue(hint != null && hint.startsWith("the features at data/x.csv reach -300.0 (feature 1 of example 1)")
                && hint.contains("data.normalize=standardize"), hint);
    }

    @Test
    void pixelsAndZScoresGetNone() {
        assertNull(RunInputs.scaleHint(new ArrayDataset(new float[] {0f, 1f, 0.25f, 0.75f}, 2, new int[] {0, 1}, 2),
                "pixels"));
        assertNull(RunInputs.scaleHint(new ArrayDataset(new float[] {-9.5f, 3f, 0f, 10f}, 2, new int[] {0, 1}, 2),
                "z-scores"));
    }
}
