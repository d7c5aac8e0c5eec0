package io.evoprune.config;

/** One configuration key, declared once with its default and its documentation. */
public record ConfigKey(String name, String defaultValue, String doc) {
    public ConfigKey {
        if (!name.matches("[a-z]+(\\.[a-z0-9-]+)+")) {
            throw new IllegalArgumentException("Badly formed key name " + name);
        }
    }
}
