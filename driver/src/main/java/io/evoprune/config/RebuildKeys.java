package io.evoprune.config;

/** Configuration keys: rebuilding the best mask's network smaller, recovering, measuring and exporting it. */
public final class RebuildKeys {
    private RebuildKeys() {
    }

    public static final ConfigKey REBUILD_ENABLED = new ConfigKey("rebuild.enabled", "true",
            "After the search, rebuild the best pruned network physically smaller (pruned units removed), check it "
                    + "against the masked one, fine-tune it, measure base vs rebuilt and export it.");
    public static final ConfigKey REBUILD_RECOVERY_EPOCHS = new ConfigKey("rebuild.recovery.epochs", "1",
            "Epochs of recovery fine-tuning of the rebuilt network on the fine-tuning data; 0 = none.");
    public static final ConfigKey REBUILD_RECOVERY_LR = new ConfigKey("rebuild.recovery.learning-rate", "0.0005",
            "Learning rate of recovery fine-tuning (the network's own updater, whose state starts fresh).");
    public static final ConfigKey REBUILD_RECOVERY_BATCH = new ConfigKey("rebuild.recovery.batch-size", "128",
            "Batch size of recovery fine-tuning.");
    public static final ConfigKey REBUILD_RECOVERY_FROZEN = new ConfigKey("rebuild.recovery.frozen-layers", "",
            "Comma-separated layer names that recovery leaves unchanged (unnamed layers of a MultiLayerNetwork are "
                    + "layer0, layer1, ...); empty = train all.");
    public static final ConfigKey REBUILD_MEASURE_BATCH = new ConfigKey("rebuild.measure.batch-size", "256",
            "Large batch of the latency and memory measurement (batch 1 is always measured too).");
    public static final ConfigKey REBUILD_MEASURE_WARMUP = new ConfigKey("rebuild.measure.warmup", "20",
            "Untimed inference runs per network and batch size before latency is timed.");
    public static final ConfigKey REBUILD_MEASURE_REPEATS = new ConfigKey("rebuild.measure.repeats", "31",
            "Timed inference runs per network and batch size; latency is their median.");
}
