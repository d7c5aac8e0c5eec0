package io.evoprune.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.mask.Mask;
import java.util.Base64;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

/** The checkpoint's text form of a mask: exact round trips, and text that is no mask of its claimed length refused. */
class MaskCodecTest {
    @Test
    void masksRoundTripOnBothSidesOfAWordBoundary() {
        for (int length : new int[] {1, 64, 65}) {
            for (Mask mask : new Mask[] {Mask.of(length, i -> false), Mask.allKept(length),
                    Mask.of(length, i -> i % 3 == 0), Mask.of(length, i -> i == length - 1)}) {
                String text = MaskCodec.encode(mask);
                assertTrue(text.startsWith(length + ":"), text);
                Mask back = MaskCodec.decode(text);
                assertEquals(length, back.length(), text);
                assertEquals(mask, back, text);
            }
        }
    }

    @Test
    void aMaskThatSetsABitBeyondItsLengthIsRefused() {
        // Claims 4 bits but sets bit 5: damage, which must not decode to a 4-bit mask silently dropping the bit.
        BitSet bits = new BitSet();
        bits.set(0);
        bits.set(5);
        String text = "4:" + Base64.getEncoder().encodeToString(bits.toByteArray());
        var e = assertThrows(IllegalArgumentException.class, () -> MaskCodec.decode(text));
        assertEquals("Mask '" + text + "' sets bit 5 but claims 4 bits", e.getMessage());
    }

    @Test
    void textThatIsNoMaskIsRefusedNamingIt() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MaskCodec.decode("AAAA")).getMessage()
                .contains("is not a mask (expected <bits>:<base64>)"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MaskCodec.decode("x:AA==")).getMessage()
                .startsWith("'x:AA==' is not a mask: "));
        assertEquals("Mask '0:' claims 0 bits; a mask has at least one",
                assertThrows(IllegalArgumentException.class, () -> MaskCodec.decode("0:")).getMessage());
    }
}
