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

    /**
     * The constant of {@code type} that a configuration value names, case-insensitively and with '-' for '_'
     * ("single-point" is SINGLE_POINT); otherwise an error naming the key and listing every choice.
     */
    public static <E extends Enum<E>> E choice(Class<E> type, String key, String value) {
        String wanted = value.trim().replace('-', '_');
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(wanted)) {
                return constant;
            }
        }
        StringBuilder names = new StringBuilder();
        for (E constant : type.getEnumConstants()) {
            names.append(names.length() == 0 ? "" : ", ").append(configName(constant));
        }
        throw new IllegalArgumentException(key + " must be one of " + names + ", but was '" + value + "'");
    }

    /** How a constant is written in configuration: lower case, '-' for '_'. */
    public static String configName(Enum<?> constant) {
        return constant.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
