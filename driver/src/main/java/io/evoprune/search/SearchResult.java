package io.evoprune.search;

import io.evoprune.evaluation.EvaluationResult;
import io.evoprune.mask.Mask;
import java.util.List;

/** The outcome of a search: the best mask found, its evaluation, and the per-generation history. */
public record SearchResult(Mask bestMask, EvaluationResult best, long bestSeed, List<GenerationStats> history,
                           int evaluations, int cacheHits, String stopReason, double seconds) {
    public SearchResult {
        history = List.copyOf(history);
    }
}
