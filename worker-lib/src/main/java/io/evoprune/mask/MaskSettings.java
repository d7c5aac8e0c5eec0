package io.evoprune.mask;

import java.io.Serializable;
import java.util.List;

/**
 * What the genome covers: the granularity, which layers (by name; empty include = every layer the granularity
 * supports), and the fraction of each layer's units that every mask must keep.
 *
 * @param minKeptFraction each layer keeps at least {@code max(1, ceil(fraction * units))} units; masks that
 *                        keep fewer are repaired (see {@link MaskRepair})
 */
public record MaskSettings(Granularity granularity, List<String> include, List<String> exclude,
                           double minKeptFraction) implements Serializable {
    public static final String INCLUDE_KEY = "mask.layers.include";
    public static final String EXCLUDE_KEY = "mask.layers.exclude";
    public static final String MIN_KEPT_KEY = "mask.min-kept-fraction";

    public MaskSettings {
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
        if (!(minKeptFraction >= 0 && minKeptFraction <= 1)) {
            throw new IllegalArgumentException(MIN_KEPT_KEY + " must be in [0.0, 1.0], but was " + minKeptFraction);
        }
        for (String name : include) {
            if (exclude.contains(name)) {
                throw new IllegalArgumentException("Layer '" + name + "' is in both " + INCLUDE_KEY + " and " + EXCLUDE_KEY);
            }
        }
    }

    /** Every supported layer, at least one unit kept per layer. */
    public static MaskSettings of(Granularity granularity) {
        return new MaskSettings(granularity, List.of(), List.of(), 0);
    }

    /** A comma-separated list of layer names; blank entries are dropped. */
    public static List<String> names(String list) {
        return java.util.Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** The fewest units a layer of {@code units} units may keep. */
    public int minKept(int units) {
        return Math.max(1, (int) Math.min(units, Math.ceil(minKeptFraction * units - 1e-9)));
    }
}
