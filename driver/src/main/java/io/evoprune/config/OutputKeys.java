package io.evoprune.config;

/** Configuration keys: where a run writes its outputs. */
public final class OutputKeys {
    private OutputKeys() {
    }

    public static final ConfigKey OUTPUT_DIR = new ConfigKey("output.dir", "runs",
            "Folder that holds run directories.");
    public static final ConfigKey OUTPUT_RUN_NAME = new ConfigKey("output.run-name", "",
            "Run directory name under output.dir; empty = run-<UTC timestamp>. An existing run is never overwritten.");
}
