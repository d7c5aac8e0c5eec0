package io.evoprune.mask;

import java.io.Serializable;
import java.util.Arrays;
import java.util.BitSet;
import java.util.function.IntPredicate;

/**
 * An immutable pruning mask: one bit per prunable unit, 1 = keep. Stored as packed 64-bit words so that
 * masks of hundreds of thousands of weights stay small in memory and on the wire.
 */
public final class Mask implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long[] words;
    private final int length;

    private Mask(long[] words, int length) {
        this.words = words;
        this.length = length;
    }

    /** A mask of {@code length} bits where bit i is {@code keep.test(i)}. */
    public static Mask of(int length, IntPredicate keep) {
        if (length <= 0) {
            throw new IllegalArgumentException("A mask needs at least one bit, but length was " + length);
        }
        long[] words = new long[(length + 63) >>> 6];
        for (int i = 0; i < length; i++) {
            if (keep.test(i)) {
                words[i >>> 6] |= 1L << i;
            }
        }
        return new Mask(words, length);
    }

    /** A mask of {@code length} bits set where {@code bits} is set. */
    public static Mask of(BitSet bits, int length) {
        if (length <= 0 || bits.length() > length) {
            throw new IllegalArgumentException("A mask of " + length + " bits cannot hold bit " + (bits.length() - 1));
        }
        return new Mask(Arrays.copyOf(bits.toLongArray(), (length + 63) >>> 6), length);
    }

    public static Mask allKept(int length) {
        return of(length, i -> true);
    }

    /** Parses the '0'/'1' text form written by {@link #toBitString()}. */
    public static Mask parse(String bits) {
        for (int i = 0; i < bits.length(); i++) {
            char c = bits.charAt(i);
            if (c != '0' && c != '1') {
                throw new IllegalArgumentException("A mask is a string of 0 and 1, but found '" + c + "' at position " + i);
            }
        }
        return of(bits.length(), i -> bits.charAt(i) == '1');
    }

    public int length() {
        return length;
    }

    public boolean isKept(int unit) {
        if (unit < 0 || unit >= length) {
            throw new IndexOutOfBoundsException("Unit " + unit + " is outside a mask of " + length + " bits");
        }
        return (words[unit >>> 6] & (1L << unit)) != 0;
    }

    public int keptCount() {
        int n = 0;
        for (long w : words) {
            n += Long.bitCount(w);
        }
        return n;
    }

    public double keptFraction() {
        return keptCount() / (double) length;
    }

    /** Kept units within [from, to). */
    public int keptCount(int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (isKept(i)) {
                n++;
            }
        }
        return n;
    }

    public BitSet toBitSet() {
        return BitSet.valueOf(words);
    }

    public String toBitString() {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(isKept(i) ? '1' : '0');
        }
        return sb.toString();
    }

    /** A well-mixed 64-bit digest of the bits, used to derive per-mask seeds. */
    public long digest() {
        long h = 0x9E3779B97F4A7C15L ^ length;
        for (long w : words) {
            h = Seeds.mix(h ^ w);
        }
        return h;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mask m && m.length == length && Arrays.equals(m.words, words);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(words) + length;
    }

    @Override
    public String toString() {
        return "Mask[" + keptCount() + "/" + length + " kept]";
    }
}
