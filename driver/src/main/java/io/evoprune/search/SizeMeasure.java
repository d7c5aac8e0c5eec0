package io.evoprune.search;

import io.evoprune.evaluation.EvaluationResult;
import io.evoprune.mask.Mask;

/** The size of a masked network: NSGA-II's second objective. */
public interface SizeMeasure {
    /** FLOPs per example of the network under {@code mask}. */
    long flops(Mask mask);

    /** The size objective of an evaluated mask (kept parameters, or {@link #flops}). */
    double size(Mask mask, EvaluationResult result);
}
