package io.evoprune.farm;

import io.evoprune.evaluation.Candidate;
import io.evoprune.evaluation.EvaluationResult;
import io.evoprune.evaluation.MaskEvaluator;
import io.evoprune.evaluation.Workload;
import java.io.Serializable;

/**
 * What a task runs for one candidate. Production always uses {@link #MASK_EVALUATOR}; the seam exists so that
 * tests can make chosen evaluations really fail inside Spark tasks (no configuration key reaches it).
 */
@FunctionalInterface
public interface EvaluationFunction extends Serializable {
    EvaluationFunction MASK_EVALUATOR = MaskEvaluator::evaluate;

    EvaluationResult evaluate(Workload workload, Candidate candidate);
}
