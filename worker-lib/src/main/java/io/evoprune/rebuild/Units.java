package io.evoprune.rebuild;

import java.util.Arrays;

/**
 * Which units of one activation survive the rebuild: {@code width} units before (features, or channels of a
 * convolutional activation), and the sorted indices kept; {@code kept == null} means all of them.
 */
record Units(int width, int[] kept) {

    static Units all(int width) {
        return new Units(width, null);
    }

    static Units of(int width, int[] kept) {
        for (int i = 0; i < kept.length; i++) {
            if (kept[i] < 0 || kept[i] >= width || (i > 0 && kept[i] <= kept[i - 1])) {
                throw new IllegalArgumentException("Kept indices must be sorted, distinct and in [0, " + width
                        + "), but were " + Arrays.toString(kept));
            }
        }
        return kept.length == width ? all(width) : new Units(width, kept.clone());
    }

    boolean complete() {
        return kept == null;
    }

    int count() {
        return kept == null ? width : kept.length;
    }

    /** The kept indices, all of them when complete. */
    long[] indices() {
        long[] idx = new long[count()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = kept == null ? i : kept[i];
        }
        return idx;
    }
}
