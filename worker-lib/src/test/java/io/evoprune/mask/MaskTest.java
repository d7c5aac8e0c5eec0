package io.evoprune.mask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MaskTest {

    @Test
    void bitsReadBackAcrossWordBoundaries() {
        Mask m = Mask.of(130, i -> i % 3 == 0 || i == 64 || i == 129);
        for (int i = 0; i < 130; i++) {
            assertEquals(i % 3 == 0 || i == 64 || i == 129, m.isKept(i), "bit " + i);
        }
        assertEquals(44 + 1, m.keptCount()); // 0,3,..,129 plus 64
        assertEquals(45 / 130.0, m.keptFraction(), 1e-12);
        assertEquals(m.keptCount(0, 10), 4);
    }

    @Test
    void textFormRoundTrips() {
        Mask m = Mask.of(77, i -> (i * 7) % 5 < 2);
        assertEquals(m, Mask.parse(m.toBitString()));
        assertEquals(m.hashCode(), Mask.parse(m.toBitString()).hashCode());
    }

    @Test
    void equalityAndDigestSeeEveryBitAndTheLength() {
        Mask a = Mask.of(100, i -> i < 50);
        Mask b = Mask.of(100, i -> i < 50 && i != 7);
        assertNotEquals(a, b);
        assertNotEquals(a.digest(), b.digest());
        assertNotEquals(Mask.of(64, i -> false).digest(), Mask.of(65, i -> false).digest());
        assertEquals(a.digest(), Mask.of(100, i -> i < 50).digest());
    }

    @Test
    void rejectsBadInputWithTheReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Mask.of(0, i -> true))
                .getMessage().contains("length was 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Mask.parse("0101x"))
                .getMessage().contains("'x' at position 4"));
        assertThrows(IndexOutOfBoundsException.class, () -> Mask.allKept(5).isKept(5));
        assertFalse(Mask.of(3, i -> false).isKept(2));
    }
}
