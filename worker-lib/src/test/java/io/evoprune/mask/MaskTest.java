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

    @Test
    void wordsRoundTripAndCountRanges() {
        Mask m = Mask.of(130, i -> i % 3 == 0);
        assertEquals(m, Mask.ofWords(m.words(), 130));
        assertEquals(44, m.keptCount());
        assertEquals(22, m.keptCount(0, 64));
        for (int from = 0; from < 130; from += 7) {
            for (int to = from; to <= 130; to += 11) {
                int expected = 0;
                for (int i = from; i < to; i++) {
                    expected += m.isKept(i) ? 1 : 0;
                }
                assertEquals(expected, m.keptCount(from, to), from + ".." + to);
            }
        }
    }

    @Test
    void nextPrunedWalksTheZeros() {
        Mask m = Mask.parse("1101111111111111111111111111111111111111111111111111111111111111110");
        assertEquals(2, m.nextPruned(0));
        assertEquals(66, m.nextPruned(3));
        assertEquals(-1, m.nextPruned(67));
        assertEquals(-1, Mask.allKept(64).nextPruned(0));
    }

    @Test
    void nextPrunedEndsCleanlyWhenTheLastWordIsFull() {
        // 64 and 128 bits fill their words exactly: asking past the last unit must answer -1, not read a word more.
        Mask one = Mask.of(64, i -> i != 63);
        assertEquals(63, one.nextPruned(0));
        assertEquals(-1, one.nextPruned(64));
        Mask two = Mask.of(128, i -> i != 0 && i != 127);
        assertEquals(0, two.nextPruned(0));
        assertEquals(127, two.nextPruned(1));
        assertEquals(-1, two.nextPruned(128));
    }

    @Test
    void wordsWithBitsPastTheLengthAreRefusedAndWordsFilledExactlyAreAccepted() {
        assertThrows(IllegalArgumentException.class, () -> Mask.ofWords(new long[] {-1L}, 10));
        // bit 5 of a 3-bit mask: past the end, but not the word's top bit
        assertThrows(IllegalArgumentException.class, () -> Mask.ofWords(new long[] {1L << 5}, 3));
        assertThrows(IllegalArgumentException.class, () -> Mask.ofWords(new long[] {0, 1L << 7}, 70));
        // 64 and 128 bits fill their words: every set bit is inside the mask
        assertEquals(64, Mask.ofWords(new long[] {-1L}, 64).keptCount());
        assertEquals(128, Mask.ofWords(new long[] {-1L, -1L}, 128).keptCount());
        assertThrows(IllegalArgumentException.class, () -> Mask.ofWords(new long[0], 0));
    }
}
