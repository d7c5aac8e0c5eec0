package io.evoprune.report;

import io.evoprune.evaluation.PairedComparison;
import java.util.Map;

/**
 * summary.json: the dense base against the best pruned network, and how the search went.
 *
 * @param testComparison the two networks compared example by example on the test split; null when they cannot be
 *                       (a diverged network)
 */
public record RunSummary(Network base, Network pruned, PairedComparison testComparison, Search search) {

    /** Every metric that applies to the task ({@code Scores.metrics()}), by name, on validation and test. */
    public record Network(long parameters, Map<String, Double> validation, Map<String, Double> test) {
    }

    /**
     * @param bestFitness the fitness of the mask the run kept: the search's best, or for NSGA-II the point
     *                    {@code pareto.pick} chose, which can be below the best fitness in generations.jsonl
     * @param evaluatedOn where this session's evaluations ran: "CPU", "GPU" or "N of M on a GPU" (Spark's
     *                    placement counts, {@code EvaluationCounters}); a resumed run counts its last session only
     */
    public record Search(int generations, int evaluations, int cacheHits, double bestFitness, double keptFraction,
                         String fitnessSize, double sizeFraction, String stopReason, double seconds, double evaluationsPerSecond, long seed,
                         String evaluatedOn) {
    }
}
