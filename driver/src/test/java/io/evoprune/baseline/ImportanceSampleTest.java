package io.evoprune.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class ImportanceSampleTest {
    /** 1,000 image-shaped examples sorted by class (0 first, then 1); every pixel of example i is i. */
    private static DataSet sortedByClass() {
        int n = 1000;
        INDArray features = Nd4j.zeros(DataType.FLOAT, n, 1, 2, 2);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, n, 2);
        for (int i = 0; i < n; i++) {
            features.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).assign(i);
            labels.putScalar(i, i < n / 2 ? 0 : 1, 1);
        }
        return new DataSet(features, labels);
    }

    @Test
    void drawsDistinctAscendingIndicesFromTheSeed() {
        long[] a = ImportanceSample.draw(1000, 100, 3);
        assertEquals(100, a.length);
        assertEquals(100, Arrays.stream(a).distinct().count());
        for (int i = 1; i < a.length; i++) {
            assertTrue(a[i - 1] < a[i], "ascending");
        }
        assertTrue(a[0] >= 0 && a[99] < 1000);
        assertArrayEquals(a, ImportanceSample.draw(1000, 100, 3), "same seed, same draw");
        assertFalse(Arrays.equals(a, ImportanceSample.draw(1000, 100, 4)), "another seed, another draw");
    }

    @Test
    void classSortedDataGivesASampleOfBothClassesWithRowsKeptTogether() {
        DataSet data = sortedByClass();
        DataSet sample = ImportanceSample.of(data, 100, 42);
        assertEquals(100, sample.numExamples());
        assertArrayEquals(new long[] {100, 1, 2, 2}, sample.getFeatures().shape());
        double ones = sample.getLabels().getColumn(1).sumNumber().doubleValue();
        // The first 100 would all be class 0; a uniform draw of 100 from 500 + 500 lands near 50 of each.
        assertTrue(ones > 30 && ones < 70, "class-1 examples in the sample: " + ones);
        for (int r = 0; r < 100; r++) {
            int example = sample.getFeatures().getInt(r, 0, 0, 0);
            assertEquals(example < 500 ? 0 : 1, sample.getLabels().getRow(r).argMax().getInt(0),
                    "row " + r + " (example " + example + ") carries its own label");
        }
        assertEquals(sample.getFeatures(), ImportanceSample.of(data, 100, 42).getFeatures(), "reproducible");
    }

    @Test
    void smallerDataIsUsedWhole() {
        DataSet data = sortedByClass();
        assertSame(data, ImportanceSample.of(data, 1000, 1));
        assertSame(data, ImportanceSample.of(data, 5000, 1));
    }
}
