package io.evoprune.config;

import static io.evoprune.config.DataKeys.*;
import static io.evoprune.config.EvaluationKeys.*;
import static io.evoprune.config.ModelKeys.*;
import static io.evoprune.config.OutputKeys.*;
import static io.evoprune.config.SearchKeys.*;

import io.evoprune.evaluation.Checks;
import io.evoprune.model.Architectures;

/** The base network: a model file, or a built-in architecture pretrained on the data. */
public record ModelConfig(String path, String architecture, int pretrainEpochs, int pretrainBatchSize,
                          double pretrainLearningRate) {
    public ModelConfig {
        if (!Architectures.NAMES.contains(architecture)) {
            throw new IllegalArgumentException(MODEL_ARCHITECTURE.name() + " must be one of " + Architectures.NAMES
                    + ", but was '" + architecture + "'");
        }
        Checks.atLeast(MODEL_PRETRAIN_EPOCHS.name(), pretrainEpochs, 1);
        Checks.atLeast(MODEL_PRETRAIN_BATCH.name(), pretrainBatchSize, 1);
        Checks.openClosed(MODEL_PRETRAIN_LR.name(), pretrainLearningRate, 0, 10);
    }

    public boolean pretrained() {
        return !path.isBlank();
    }

    static ModelConfig from(Settings s) {
        return new ModelConfig(s.string(MODEL_PATH.name()), s.string(MODEL_ARCHITECTURE.name()),
                s.integer(MODEL_PRETRAIN_EPOCHS.name()), s.integer(MODEL_PRETRAIN_BATCH.name()),
                s.decimal(MODEL_PRETRAIN_LR.name()));
    }
}
