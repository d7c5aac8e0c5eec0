package io.evoprune.search;

import io.evoprune.evaluation.Candidate;
import io.evoprune.evaluation.EvaluationResult;
import java.util.List;

/**
 * Evaluates a batch of masks, returning one result per candidate in candidate order. The seam between the
 * search and where evaluations run: one Spark job per generation, or a plain loop.
 */
public interface BatchEvaluator {
    List<EvaluationResult> evaluate(int generation, List<Candidate> candidates);

    /** Told, once a generation's masks are evaluated, how many of them came from the cache (for monitoring). */
    default void cacheHits(int generation, int hits) {
    }

    /**
     * A digest of everything besides the mask that decides a result (fine-tuning, fitness, data, base model):
     * the fitness cache keys results by mask and this, so results under other settings are never reused.
     */
    default long settingsDigest() {
        return 0;
    }
}
