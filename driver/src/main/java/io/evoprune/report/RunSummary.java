package io.evoprune.report;

import io.evoprune.evaluation.Scores;

/** summary.json: the dense base against the best pruned network, and how the search went. */
public record RunSummary(Network base, Network pruned, Search search) {

    public record Network(long parameters, Scores validation, Scores test) {
    }

    public record Search(int generations, int evaluations, int cacheHits, double bestFitness, double keptFraction,
                         String stopReason, double seconds, double evaluationsPerSecond, long seed) {
    }
}
