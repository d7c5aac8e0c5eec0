package io.evoprune.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.mask.Mask;
import org.junit.jupiter.api.Test;

/** The fitness cache's mask digests: stable across versions (checkpoints keep them), and read back exactly. */
class MaskDigestTest {
    @Test
    void theDigestOfAMaskIsFixed() {
        // Checkpoints store these: a change here makes every earlier checkpoint's cache miss.
        assertEquals("7c69c6613490b94bd947c0663d87e8a0", MaskDigest.of(Mask.parse("1011")).toString());
    }

    @Test
    void lengthAndEveryBitCount() {
        Mask mask = Mask.of(130, u -> u % 3 == 0);
        assertNotEquals(MaskDigest.of(mask), MaskDigest.of(Mask.of(131, u -> u % 3 == 0)), "same words, longer");
        assertNotEquals(MaskDigest.of(mask), MaskDigest.of(Mask.of(130, u -> u % 3 == 0 && u != 129)), "last bit");
        assertEquals(MaskDigest.of(mask), MaskDigest.of(Mask.of(130, u -> u % 3 == 0)), "a copy");
    }

    @Test
    void textReadsBackAndAnythingElseIsRefused() {
        MaskDigest d = MaskDigest.of(Mask.of(400, u -> u % 7 != 0));
        assertEquals(32, d.toString().length());
        assertEquals(d, MaskDigest.parse(d.toString()));
        for (String bad : new String[] {"", "abc", d.toString().toUpperCase(java.util.Locale.ROOT),
                d.toString().substring(1) + "g", "400:AAAA"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MaskDigest.parse(bad), bad);
            assertTrue(e.getMessage().contains("is not a mask digest"), e.getMessage());
        }
    }
}
