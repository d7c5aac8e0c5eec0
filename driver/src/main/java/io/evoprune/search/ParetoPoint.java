package io.evoprune.search;

import io.evoprune.evaluation.EvaluationResult;
import io.evoprune.mask.Mask;

/**
 * One evaluated mask as NSGA-II sees it.
 *
 * @param size  the size objective (kept parameters or FLOPs per example)
 * @param flops FLOPs per example of the masked network's dense layers
 */
public record ParetoPoint(Mask mask, EvaluationResult result, double size, long flops) {

    /** The minimised objectives: -validation accuracy (a failed evaluation counts as accuracy -inf) and size. */
    double[] objectives() {
        double accuracy = result.failed() ? Double.NEGATIVE_INFINITY : result.accuracy();
        return new double[] {-accuracy, size};
    }
}
