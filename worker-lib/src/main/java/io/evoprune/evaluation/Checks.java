package io.evoprune.evaluation;

/** Preconditions whose messages name the configuration key and the bad value. */
public final class Checks {
    private Checks() {
    }

    public static void atLeast(String key, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(key + " must be at least " + min + ", but was " + value);
        }
    }

    public static void inRange(String key, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(key + " must be in [" + min + ", " + max + "], but was " + value);
        }
    }

    public static void openClosed(String key, double value, double min, double max) {
        if (!(value > min && value <= max)) {
            throw new IllegalArgumentException(key + " must be in (" + min + ", " + max + "], but was " + value);
        }
    }
}
