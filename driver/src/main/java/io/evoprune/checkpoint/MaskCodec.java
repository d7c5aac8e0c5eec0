package io.evoprune.checkpoint;

import io.evoprune.mask.Mask;
import java.util.Base64;
import java.util.BitSet;

/**
 * Masks as short text: {@code <bits>:<base64 of the packed bits>}, eight times smaller than a 0/1 string, so a
 * fitness cache of thousands of large masks stays a small file.
 */
final class MaskCodec {
    private MaskCodec() {
    }

    static String encode(Mask mask) {
        return mask.length() + ":" + Base64.getEncoder().encodeToString(mask.toBitSet().toByteArray());
    }

    /** Decodes {@link #encode} output; throws IllegalArgumentException, naming the problem, on anything else. */
    static Mask decode(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("'" + abbreviate(text) + "' is not a mask (expected <bits>:<base64>)");
        }
        int length;
        BitSet bits;
        try {
            length = Integer.parseInt(text.substring(0, colon));
            bits = BitSet.valueOf(Base64.getDecoder().decode(text.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + abbreviate(text) + "' is not a mask: " + e.getMessage(), e);
        }
        if (length <= 0) {
            throw new IllegalArgumentException("Mask '" + abbreviate(text) + "' claims " + length
                    + " bits; a mask has at least one");
        }
        if (bits.length() > length) {
            throw new IllegalArgumentException("Mask '" + abbreviate(text) + "' sets bit " + (bits.length() - 1)
                    + " but claims " + length + " bits");
        }
        return Mask.of(length, bits::get);
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
