package io.evoprune.mask;

/** Seed derivation: every random seed of a run comes from the run seed through these functions. */
public final class Seeds {
    private Seeds() {
    }

    /** SplitMix64's finaliser: a bijective, well-mixed scramble of 64 bits. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A child seed for {@code stream} and {@code index} under {@code parent}; independent of order and threads. */
    public static long derive(long parent, long stream, long index) {
        return mix(mix(mix(parent) + stream) + index);
    }
}
