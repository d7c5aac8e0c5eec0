package io.evoprune.config;

/** Configuration keys: which layers the genome covers and how much of each layer a mask must keep. */
public final class MaskKeys {
    private MaskKeys() {
    }

    public static final ConfigKey MASK_INCLUDE = new ConfigKey("mask.layers.include", "",
            "Comma-separated layer names the genome covers; empty = every layer the granularity supports."
                    + " Naming a layer the granularity cannot prune is an error.");
    public static final ConfigKey MASK_EXCLUDE = new ConfigKey("mask.layers.exclude", "",
            "Comma-separated layer names the genome leaves alone (never pruned).");
    public static final ConfigKey MASK_MIN_KEPT = new ConfigKey("mask.min-kept-fraction", "0.0",
            "Every layer keeps at least max(1, ceil(fraction x units)) units; masks below it are repaired"
                    + " by re-enabling the layer's pruned units with the largest L1 norm of their own weights and bias."
                    + " In [0, 1].");
}
