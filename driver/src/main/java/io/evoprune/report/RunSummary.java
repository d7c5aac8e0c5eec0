package io.evoprune.report;

import io.evoprune.evaluation.PairedComparison;
import java.util.Map;

/**
 * summary.json: the dense base against the best pruned network, how the search went, and the model the run exports.
 *
 * @param pruned         the best mask's network as the search scored it (fine-tuned, before any recovery)
 * @param testComparison pruned and base compared example by example on the test split; null when they cannot be
 *                       (a diverged network)
 * @param exported       the model the run delivers
 */
public record RunSummary(Network base, Network pruned, PairedComparison testComparison, Search search,
                         Exported exported) {

    /**
     * The exported model (rebuilt-model.zip after recovery; masked-model.zip for weight masks; pruned-model.zip
     * without a rebuild) against the base, and against the dense control: the base given the same fine-tuning and
     * recovery, with the same batches. A base that was not trained to convergence gains from that training alone;
     * the control tells that gain from what pruning costs.
     *
     * @param againstBase    the exported model against the base on the test split ("base" = the base); null where
     *                       they cannot be compared
     * @param againstControl the same against the control ("base" = the control); null likewise
     */
    public record Exported(String file, Network network, PairedComparison againstBase, Network control,
                           PairedComparison againstControl) {
    }

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
