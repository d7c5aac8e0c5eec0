package io.evoprune.pruning;

import io.evoprune.evaluation.FineTuneSettings;
import io.evoprune.importance.Criterion;
import io.evoprune.importance.Importance;
import io.evoprune.importance.MaskRules;
import io.evoprune.importance.UnitScores;
import io.evoprune.mask.Mask;
import io.evoprune.mask.MaskApplier;
import io.evoprune.mask.MaskEnforcer;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.mask.Seeds;
import io.evoprune.model.Trainer;
import io.evoprune.model.Network;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Iterative prune-and-retrain (Han et al. 2015, at unit level): prune a step by magnitude, retrain, repeat,
 * with the kept fraction falling geometrically to the target. The retraining batches of all steps add up to
 * the fine-tune budget, so the method costs what one candidate evaluation of the search costs.
 */
public final class IterativePruning {
    private IterativePruning() {
    }

    public static Pruned run(Network base, PrunableLayout layout, DataSet fineTune, FineTuneSettings settings,
                             double keep, int steps, long seed) {
        if (steps < 1) {
            throw new IllegalArgumentException("Iterative pruning needs at least one step, but got " + steps);
        }
        Network net = Network.create(base.configuration(), base.params());
        if (settings.learningRate() > 0) {
            net.setLearningRate(settings.learningRate());
        }
        int budget = Budget.batches(settings, fineTune.numExamples());
        Mask mask = Mask.allKept(layout.units());
        int spent = 0;
        for (int step = 1; step <= steps; step++) {
            double stepKeep = Math.pow(keep, step / (double) steps);
            mask = pruneMore(net, layout, mask, stepKeep);
            var parameterMask = MaskApplier.apply(net, layout, mask);
            int batches = budget * step / steps - spent;
            if (batches > 0) { // 0 would mean "no limit" to the trainer
                net.setListeners(new MaskEnforcer(parameterMask));
                Trainer.fit(net, fineTune, Budget.epochsFor(batches, fineTune.numExamples(), settings.batchSize()),
                        settings.batchSize(), batches, Seeds.derive(seed, step, 0));
                net.setListeners();
                spent += batches;
            }
        }
        return new Pruned(mask, net);
    }

    /** The per-layer magnitude mask at {@code keep}, never bringing back a unit {@code current} already pruned. */
    static Mask pruneMore(Network net, PrunableLayout layout, Mask current, double keep) {
        double[] scores = Importance.score(Criterion.MAGNITUDE, net, layout, null, 1, 0).scores();
        for (int i = 0; i < scores.length; i++) {
            if (!current.isKept(i)) {
                scores[i] = -1; // magnitudes are >= 0: pruned units rank last
            }
        }
        return MaskRules.topPerLayer(new UnitScores(Criterion.MAGNITUDE, scores), layout, keep);
    }
}
