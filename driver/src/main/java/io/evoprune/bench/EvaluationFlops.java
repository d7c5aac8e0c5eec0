package io.evoprune.bench;

import io.evoprune.evaluation.FineTuneSettings;
import io.evoprune.mask.Mask;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.model.Flops;
import io.evoprune.model.Network;
import io.evoprune.rebuild.MaskRebuild;

/**
 * Floating-point operations one evaluation executes, counted from the layer shapes of the network it trains (the
 * rebuilt one, or the full-size masked one, whose zeros are multiplied like any weight), two per multiply-add
 * ({@link Flops}): forward and backward
 * (twice the forward: input and weight gradients) for every fine-tuning example, forward for every validation one.
 */
final class EvaluationFlops {
    private EvaluationFlops() {
    }

    /** The network an evaluation of {@code mask} trains. */
    static Network trained(Network base, PrunableLayout layout, Mask mask, FineTuneSettings settings) {
        return settings.rebuilt() ? MaskRebuild.rebuild(base, layout, mask).network() : base;
    }

    static double of(Network base, PrunableLayout layout, Mask mask, FineTuneSettings settings, int[] featureShape,
                     int fineTuneExamples, int validationExamples) {
        double forward = 2.0 * Flops.of(trained(base, layout, mask, settings), featureShape).multiplyAdds();
        return 3 * forward * trainedExamples(settings, fineTuneExamples) + forward * validationExamples;
    }

    /** Examples the trainer feeds forward and back: every epoch's batches, up to the batch limit. */
    static long trainedExamples(FineTuneSettings s, int examples) {
        long total = 0;
        int batches = 0;
        for (int epoch = 0; epoch < s.epochs(); epoch++) {
            for (int start = 0; start < examples; start += s.batchSize()) {
                if (s.maxBatches() > 0 && batches >= s.maxBatches()) {
                    return total;
                }
                total += Math.min(s.batchSize(), examples - start);
                batches++;
            }
        }
        return total;
    }
}
