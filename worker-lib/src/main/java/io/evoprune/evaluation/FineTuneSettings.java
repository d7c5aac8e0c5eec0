package io.evoprune.evaluation;

import java.io.Serializable;

/**
 * How each candidate is retrained before it is scored.
 *
 * @param epochs       passes over the fine-tuning data
 * @param maxBatches   stop after this many batches in total; 0 = no limit
 * @param batchSize    examples per update
 * @param learningRate the updater's learning rate during fine-tuning; 0 keeps the model's own
 * @param rebuilt      fine-tune the physically smaller network of the mask (neuron and filter masks) instead of
 *                     the full-size one with pruned weights held at zero: the same updates of the surviving
 *                     weights, up to float rounding, for fewer FLOPs
 */
public record FineTuneSettings(int epochs, int maxBatches, int batchSize, double learningRate, boolean rebuilt)
        implements Serializable {
    public FineTuneSettings {
        Checks.atLeast("finetune.epochs", epochs, 0);
        Checks.atLeast("finetune.max-batches", maxBatches, 0);
        Checks.atLeast("finetune.batch-size", batchSize, 1);
        Checks.inRange("finetune.learning-rate", learningRate, 0, 10);
    }

    /** Settings that fine-tune the full-size masked network. */
    public FineTuneSettings(int epochs, int maxBatches, int batchSize, double learningRate) {
        this(epochs, maxBatches, batchSize, learningRate, false);
    }

    public FineTuneSettings withRebuilt(boolean rebuilt) {
        return new FineTuneSettings(epochs, maxBatches, batchSize, learningRate, rebuilt);
    }

    public FineTuneSettings withMaxBatches(int maxBatches) {
        return new FineTuneSettings(epochs, maxBatches, batchSize, learningRate, rebuilt);
    }
}
