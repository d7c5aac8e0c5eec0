package io.evoprune.evaluation;

import java.io.Serializable;

/**
 * How each candidate is retrained before it is scored.
 *
 * @param epochs       passes over the fine-tuning data
 * @param maxBatches   stop after this many batches in total; 0 = no limit
 * @param batchSize    examples per update
 * @param learningRate the updater's learning rate during fine-tuning; 0 keeps the model's own
 */
public record FineTuneSettings(int epochs, int maxBatches, int batchSize, double learningRate) implements Serializable {
    public FineTuneSettings {
        Checks.atLeast("finetune.epochs", epochs, 0);
        Checks.atLeast("finetune.max-batches", maxBatches, 0);
        Checks.atLeast("finetune.batch-size", batchSize, 1);
        Checks.inRange("finetune.learning-rate", learningRate, 0, 10);
    }
}
