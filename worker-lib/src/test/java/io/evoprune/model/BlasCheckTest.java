package io.evoprune.model;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The BLAS self-test measures what it claims: exact products pass, a product off in one entry does not. */
class BlasCheckTest {
    @Test
    void errorOfTheProductAgainstPlainJava() {
        INDArray x = Nd4j.createFromArray(new double[][] {{1, 2}, {3, 4}});
        INDArray w = Nd4j.createFromArray(new double[][] {{5, 6}, {7, 8}});
        INDArray exact = Nd4j.createFromArray(new double[][] {{19, 22}, {43, 50}});
        assertTrue(BlasCheck.worstError(x, w, exact) == 0);
        INDArray off = exact.dup();
        off.putScalar(1, 1, 50 + 6.4); // entry (1, 1) is 3*6 + 4*8: its terms' magnitude is 50
        assertTrue(Math.abs(BlasCheck.worstError(x, w, off) - 6.4 / 50) < 1e-12);
    }

    @Test
    void float32ProductsAreNotChecked() {
        assertNull(BlasCheck.problem(DataType.FLOAT));
    }
}
