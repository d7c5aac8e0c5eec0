package io.evoprune.mask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SeedsTest {
    @Test
    void derivedSeedsAreStableAndDistinct() {
        // Pinned: every run's masks, fine-tune seeds and checkpoints come from this derivation.
        assertEquals(445437662087128705L, Seeds.derive(42, 1, 7));
        Set<Long> seen = new HashSet<>();
        for (int stream = 0; stream < 10; stream++) {
            for (int i = 0; i < 1000; i++) {
                seen.add(Seeds.derive(42, stream, i));
            }
        }
        assertEquals(10_000, seen.size());
        assertNotEquals(Seeds.derive(42, 1, 7), Seeds.derive(43, 1, 7));
    }

    @Test
    void mixIsSplitMix64sFinaliserAndDerivedSeedsStayTheSameAcrossBuilds() {
        // SplitMix64's first three outputs from seed 0 in its reference implementation (state += the golden gamma).
        long gamma = 0x9E3779B97F4A7C15L;
        assertEquals(0xE220A8397B1DCDAFL, Seeds.mix(gamma));
        assertEquals(0x6E789E6AA1B965F4L, Seeds.mix(2 * gamma));
        assertEquals(0x06C45D188009454FL, Seeds.mix(3 * gamma));
        // Pinned values: a checkpoint resumed by a later build, or a run repeated from its seed, depends on them.
        assertEquals(8948215671029277285L, Seeds.derive(42, 3, 1));
        assertEquals(304364983546827986L, Mask.parse("1011001110").digest());
    }
}
