package io.evoprune.mask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SeedsTest {
    @Test
    void derivedSeedsAreStableAndDistinct() {
        assertEquals(Seeds.derive(42, 1, 7), Seeds.derive(42, 1, 7));
        Set<Long> seen = new HashSet<>();
        for (int stream = 0; stream < 10; stream++) {
            for (int i = 0; i < 1000; i++) {
                seen.add(Seeds.derive(42, stream, i));
            }
        }
        assertEquals(10_000, seen.size());
        assertNotEquals(Seeds.derive(42, 1, 7), Seeds.derive(43, 1, 7));
    }
}
