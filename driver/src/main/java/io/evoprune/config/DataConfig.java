package io.evoprune.config;

import static io.evoprune.config.DataKeys.*;
import static io.evoprune.config.EvaluationKeys.*;
import static io.evoprune.config.ModelKeys.*;
import static io.evoprune.config.OutputKeys.*;
import static io.evoprune.config.SearchKeys.*;

import io.evoprune.evaluation.Checks;

/** Where the data is and how it is split. */
public record DataConfig(String path, int fineTuneSize, int validationSize, int testSize) {
    public DataConfig {
        if (path.isBlank()) {
            throw new IllegalArgumentException(DATA_PATH.name() + " must name a dataset folder, but was empty");
        }
        Checks.atLeast(DATA_FINETUNE_SIZE.name(), fineTuneSize, 0);
        Checks.atLeast(DATA_VALIDATION_SIZE.name(), validationSize, 1);
        Checks.atLeast(DATA_TEST_SIZE.name(), testSize, 0);
    }

    static DataConfig from(Settings s) {
        return new DataConfig(s.string(DATA_PATH.name()), s.integer(DATA_FINETUNE_SIZE.name()),
                s.integer(DATA_VALIDATION_SIZE.name()), s.integer(DATA_TEST_SIZE.name()));
    }
}
