package io.evoprune.search;

import io.evoprune.evaluation.Candidate;
import io.evoprune.evaluation.EvaluationResult;
import io.evoprune.mask.Mask;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Batch evaluators without Spark or training, for testing the search's bookkeeping. */
final class Fakes {
    private Fakes() {
    }

    /** Scores each mask by {@code accuracy}, taking {@code seconds} per evaluation; counts what it evaluated. */
    static final class Scorer implements BatchEvaluator {
        final ToDoubleFunction<Mask> accuracy;
        final double seconds;
        final List<Mask> seen = new ArrayList<>();

        Scorer(ToDoubleFunction<Mask> accuracy, double seconds) {
            this.accuracy = accuracy;
            this.seconds = seconds;
        }

        @Override
        public List<EvaluationResult> evaluate(int generation, List<Candidate> candidates) {
            List<EvaluationResult> out = new ArrayList<>();
            for (Candidate c : candidates) {
                seen.add(c.mask());
                double a = accuracy.applyAsDouble(c.mask());
                double kept = c.mask().keptFraction();
                out.add(new EvaluationResult(c.index(), a - 0.5 * Math.max(0, kept - 0.5), a, 1 - a, kept,
                        100L * c.mask().keptCount(), seconds, null));
            }
            return out;
        }
    }
}
