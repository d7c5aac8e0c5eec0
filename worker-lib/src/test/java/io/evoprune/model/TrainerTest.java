package io.evoprune.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The trainer's batch gather picks exactly the rows INDArray.getRows picks, for flat rows and for images. */
class TrainerTest {
    private static final int[] ROWS = {4, 0, 7, 7, 2};

    @Test
    void gathersFlatRows() {
        INDArray data = Nd4j.rand(DataType.FLOAT, 9, 6);
        INDArray picked = Trainer.rows(data, ROWS);
        assertEquals(data.getRows(ROWS), picked);
        assertArrayEquals(new long[] {5, 6}, picked.shape());
    }

    @Test
    void gathersImagesOfAnyRank() {
        INDArray images = Nd4j.rand(DataType.FLOAT, 9, 2, 3, 4);
        INDArray picked = Trainer.rows(images, ROWS);
        assertArrayEquals(new long[] {5, 2, 3, 4}, picked.shape());
        for (int i = 0; i < ROWS.length; i++) {
            assertEquals(images.slice(ROWS[i]), picked.slice(i), "example " + i);
        }
    }
}
