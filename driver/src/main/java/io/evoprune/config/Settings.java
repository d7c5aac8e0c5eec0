package io.evoprune.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Raw configuration values: every known key's default, overridden by a job file, then by single
 * command-line or Spark settings. Unknown keys are rejected, so a typo never silently means "default".
 */
public final class Settings {
    /** Where a value is reported as coming from in errors; "--set options" needs no saying. */
    public static final String COMMAND_LINE = "--set options";
    private final Map<String, String> values;
    /** For each key not at its default, where its value came from (a job file, Spark, a run's saved file). */
    private final Map<String, String> sources;

    private Settings(Map<String, String> values, Map<String, String> sources) {
        this.values = Collections.unmodifiableMap(values);
        this.sources = Collections.unmodifiableMap(sources);
    }

    public static Settings defaults() {
        Map<String, String> values = new LinkedHashMap<>();
        for (ConfigKey key : ConfigKeys.all()) {
            values.put(key.name(), key.defaultValue());
        }
        return new Settings(values, Map.of());
    }

    /** These settings with {@code overrides} applied; {@code source} names where they came from, for errors. */
    public Settings with(Map<String, String> overrides, String source) {
        Map<String, String> next = new LinkedHashMap<>(values);
        Map<String, String> from = new LinkedHashMap<>(sources);
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, String> e : new TreeMap<>(overrides).entrySet()) {
            String key = e.getKey().trim();
            if (values.containsKey(key)) {
                next.put(key, e.getValue().trim());
                from.put(key, source);
            } else {
                unknown.add("'" + key + "'" + ConfigKeys.suggestion(key));
            }
        }
        if (!unknown.isEmpty()) { // all of them at once: a job file with three typos is fixed in one go
            throw new IllegalArgumentException("Unknown configuration key" + (unknown.size() == 1 ? " " : "s ")
                    + String.join(", ", unknown) + " in " + source);
        }
        return new Settings(next, from);
    }

    /**
     * {@code e} with where its key's value came from, when its message begins with a key set in a job file, Spark's
     * configuration or a run's saved file ("search.generations must be an integer, but was 'two' (in configuration
     * file job.properties)"); {@code e} itself otherwise.
     */
    public IllegalArgumentException located(IllegalArgumentException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        String key = sources.keySet().stream()
                .filter(k -> message.startsWith(k) && (message.length() == k.length()
                        || !isKeyChar(message.charAt(k.length()))))
                .max(java.util.Comparator.comparingInt(String::length)).orElse(null);
        if (key == null || sources.get(key).equals(COMMAND_LINE)) {
            return e;
        }
        return new IllegalArgumentException(message + " (in " + sources.get(key) + ")", e);
    }

    private static boolean isKeyChar(char c) {
        return Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_';
    }

    /** A Java properties file of overrides. */
    public Settings withFile(Path file) {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("Configuration file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read configuration file " + file + ": " + why(e), e);
        }
        Map<String, String> overrides = new LinkedHashMap<>();
        props.stringPropertyNames().forEach(k -> overrides.put(k, props.getProperty(k)));
        return with(overrides, "configuration file " + file);
    }

    /** The file system exceptions' own messages are often just the path, which the message names already. */
    private static String why(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof CharacterCodingException) {
            return "it is not UTF-8 text";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(); // e.g. "Is a directory"
    }

    public String string(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalStateException("Key " + key + " is not declared in ConfigKeys");
        }
        return v;
    }

    public int integer(String key) {
        String v = string(key);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, but was '" + v + "'");
        }
    }

    public long longValue(String key) {
        String v = string(key);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, but was '" + v + "'");
        }
    }

    /** A true/false key, in any case as enum-valued keys are. */
    public boolean bool(String key) {
        String v = string(key);
        return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(key + " must be true or false, but was '" + v + "'");
        };
    }

    /** Whether {@code key} says auto, in any case: enum-valued keys take any case too. */
    public boolean isAuto(String key) {
        return string(key).trim().equalsIgnoreCase("auto");
    }

    public double decimal(String key) {
        String v = string(key);
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, but was '" + v + "'");
        }
    }

    public Map<String, String> asMap() {
        return values;
    }
}
