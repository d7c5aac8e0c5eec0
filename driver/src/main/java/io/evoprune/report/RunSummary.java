package io.evoprune.report;

import java.util.Map;

/** summary.json: the dense base against the best pruned network, and how the search went. */
public record RunSummary(Network base, Network pruned, Search search) {

    /** Every metric that applies to the task ({@code Scores.metrics()}), by name, on validation and test. */
    public record Network(long parameters, Map<String, Double> validation, Map<String, Double> test) {
    }

    /**
     * @param evaluatedOn where this session's evaluations ran: "CPU", "GPU" or "N of M on a GPU" (Spark's
     *                    placement counts, {@code EvaluationCounters}); a resumed run counts its last session only
     */
    public record Search(int generations, int evaluations, int cacheHits, double bestFitness, double keptFraction,
                         String fitnessSize, double sizeFraction, String stopReason, double seconds, double evaluationsPerSecond, long seed,
                         String evaluatedOn) {
    }
}
