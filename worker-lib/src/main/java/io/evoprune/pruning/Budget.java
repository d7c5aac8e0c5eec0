package io.evoprune.pruning;

import io.evoprune.evaluation.FineTuneSettings;

/**
 * The fine-tune budget in batches: what one GA evaluation spends retraining a candidate. Pruners that train
 * while they prune spend exactly this many batches in total, so every method gets the same retraining.
 */
public final class Budget {
    private Budget() {
    }

    public static int batches(FineTuneSettings settings, int examples) {
        int perEpoch = (examples + settings.batchSize() - 1) / settings.batchSize();
        int all = settings.epochs() * perEpoch;
        return settings.maxBatches() > 0 ? Math.min(settings.maxBatches(), all) : all;
    }

    /** Epochs to ask of the trainer so that it can run {@code batches} batches. */
    static int epochsFor(int batches, int examples, int batchSize) {
        int perEpoch = (examples + batchSize - 1) / batchSize;
        return Math.max(1, (batches + perEpoch - 1) / perEpoch);
    }
}
