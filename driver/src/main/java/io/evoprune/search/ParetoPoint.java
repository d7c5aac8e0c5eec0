package io.evoprune.search;

import io.evoprune.evaluation.EvaluationResult;
import io.evoprune.mask.Mask;

/**
 * One evaluated mask as NSGA-II sees it.
 *
 * @param size  the size objective (kept parameters or FLOPs per example)
 * @param flops FLOPs per example of the masked network (io.evoprune.model.Flops: dense, convolution, batch norm)
 */
public record ParetoPoint(Mask mask, EvaluationResult result, double size, long flops) {

    /**
     * The minimised objectives: -validation accuracy and size. A failed evaluation is +inf on both, so that every
     * evaluated mask dominates it; its size is no measure (nothing was kept), and a small one would have put it on
     * the front.
     */
    double[] objectives() {
        return result.failed() ? new double[] {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY}
                : new double[] {-result.accuracy(), size};
    }
}
