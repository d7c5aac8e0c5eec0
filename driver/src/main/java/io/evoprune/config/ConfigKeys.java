package io.evoprune.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Every configuration key, gathered from the per-area key classes. The reference page docs/configuration.md and conf/evoprune.properties
 * are checked against this list by the tests.
 */
public final class ConfigKeys {
    private ConfigKeys() {
    }

    /** The classes that declare keys, one per area; each public static ConfigKey field is a key. */
    private static final List<Class<?>> AREAS = List.of(DataKeys.class, ModelKeys.class, SearchKeys.class,
            EvaluationKeys.class, OutputKeys.class, MaskKeys.class, RebuildKeys.class, StrategyKeys.class);

    public static List<ConfigKey> all() {
        List<ConfigKey> keys = new ArrayList<>();
        for (Class<?> area : AREAS) {
            for (var field : area.getFields()) {
                if (field.getType() == ConfigKey.class) {
                    try {
                        keys.add((ConfigKey) field.get(null));
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return keys;
    }

    static String suggestion(String unknown) {
        // Spark's form of a key (--conf spark.evoprune.search.seed) where evoprune's own is wanted (--set, files).
        String prefix = "spark.evoprune.";
        if (unknown.startsWith(prefix) && all().stream().anyMatch(k -> k.name().equals(unknown.substring(prefix.length())))) {
            return " (did you mean '" + unknown.substring(prefix.length()) + "'? The " + prefix + " prefix is for"
                    + " Spark's --conf only)";
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (ConfigKey key : all()) {
            int d = distance(unknown, key.name());
            if (d < bestDistance) {
                bestDistance = d;
                best = key.name();
            }
        }
        return bestDistance <= 3 ? " (did you mean '" + best + "'?)" : "";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
