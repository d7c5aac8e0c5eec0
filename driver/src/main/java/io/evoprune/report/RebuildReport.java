package io.evoprune.report;

import io.evoprune.evaluation.PairedComparison;
import io.evoprune.evaluation.Scores;
import io.evoprune.rebuild.Footprint;
import io.evoprune.rebuild.LayerChange;
import io.evoprune.rebuild.RecoverySettings;
import java.util.List;

/**
 * rebuild.json: the rebuilt network against the dense base, measured on the same machine in the same run.
 *
 * @param equivalenceMaxAbsDifference largest |rebuilt - masked| output over the test set, before recovery
 * @param equivalenceBound            the absolute bound it had to stay under: {@code Equivalence.BOUND} (relative)
 *                                    times {@code equivalenceScale}
 * @param equivalenceScale            the masked network's largest |output| on the test set, at least 1
 * @param recovery                    null when no data was given to fine-tune on
 * @param base                        null when no data was given to measure on (parameters are in layers then)
 * @param rebuiltSmaller              false for 'weight' masks: {@code note} says why, {@code sparsity} what was pruned
 */
public record RebuildReport(String granularity, double keptFraction, boolean rebuiltSmaller, String note,
                            double equivalenceMaxAbsDifference, double equivalenceBound, double equivalenceScale,
                            List<LayerChange> layers,
                            Sparsity sparsity, Recovery recovery, Footprint base, Footprint rebuilt, Gains gains,
                            Machine machine) {

    /** Zero weights of a 'weight'-masked network, per masked layer and over all of them. */
    public record Sparsity(long weights, long zeros, double fraction, List<LayerSparsity> layers) {
    }

    public record LayerSparsity(String layer, long weights, long zeros, double fraction) {
    }

    /**
     * Accuracy of the rebuilt network before recovery (equal to the masked network's) and after it.
     *
     * @param testAgainstBase the recovered network against the dense base, example by example on the test split;
     *                        null when they cannot be compared (a diverged network)
     */
    public record Recovery(RecoverySettings settings, Scores validationBefore, Scores testBefore,
                           Scores validationAfter, Scores testAfter, PairedComparison testAgainstBase,
                           double seconds) {
    }

    /** Base divided by rebuilt: how many times smaller, cheaper or faster the rebuilt network is. */
    public record Gains(double parameters, double multiplyAdds, double fileSize, double latencyBatch1,
                        double latencyBatchN, double peakMemory) {
        public static Gains of(Footprint base, Footprint rebuilt) {
            return new Gains(base.parameters() / (double) rebuilt.parameters(),
                    base.multiplyAdds() / (double) rebuilt.multiplyAdds(),
                    base.fileBytes() / (double) rebuilt.fileBytes(),
                    base.latencyBatch1Ms() / rebuilt.latencyBatch1Ms(),
                    base.latencyBatchNMs() / rebuilt.latencyBatchNMs(),
                    base.peakInferenceBytes() / (double) rebuilt.peakInferenceBytes());
        }
    }

    /** Where the numbers were taken. */
    public record Machine(String dateUtc, String os, String cpu, int cores, String java, String nd4jBackend,
                          int nd4jThreads) {
    }
}
