package io.evoprune.mask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MaskTest {

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
    void wordsWithBitsPastTheLengthAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Mask.ofWords(new long[] {-1L}, 10));
    }
}
