package io.evoprune.config;

import static io.evoprune.config.RebuildKeys.*;

import io.evoprune.rebuild.Footprint;
import io.evoprune.rebuild.RecoverySettings;
import java.util.Arrays;
import java.util.List;

/** Whether and how the best mask's network is rebuilt, fine-tuned and measured after the search. */
public record RebuildConfig(boolean enabled, RecoverySettings recovery, Footprint.Settings measure) {

    public static RebuildConfig from(Settings s) {
        String frozen = s.string(REBUILD_RECOVERY_FROZEN.name());
        List<String> frozenLayers = frozen.isBlank() ? List.of()
                : Arrays.stream(frozen.split(",")).map(String::trim).filter(n -> !n.isEmpty()).toList();
        return new RebuildConfig(s.bool(REBUILD_ENABLED.name()),
                new RecoverySettings(s.integer(REBUILD_RECOVERY_EPOCHS.name()), s.decimal(REBUILD_RECOVERY_LR.name()),
                        s.integer(REBUILD_RECOVERY_BATCH.name()), frozenLayers),
                new Footprint.Settings(s.integer(REBUILD_MEASURE_BATCH.name()), s.integer(REBUILD_MEASURE_WARMUP.name()),
                        s.integer(REBUILD_MEASURE_REPEATS.name())));
    }
}
