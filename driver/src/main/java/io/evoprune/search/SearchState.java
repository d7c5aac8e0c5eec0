package io.evoprune.search;

import io.evoprune.evaluation.EvaluationResult;
import io.evoprune.mask.Mask;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a search needs to continue after {@code generation}, as it stood when that generation ended: the
 * population in order (order matters to selection), the digest of every mask evaluated so far with its result
 * (the fitness cache), the best so far and the statistics. No random state: each generation's random stream derives from the
 * run seed and the generation number, so a search continued from this state makes the same choices as one that
 * never stopped. Jenetics itself keeps no other state between generations (its engine, selectors and alterers
 * are stateless; a phenotype carries only genotype, birth generation and fitness, all kept here).
 *
 * @param seconds        search time spent so far, so that a time limit spans all sessions of a run
 * @param settingsDigest the evaluation settings and inputs the results were scored under
 *                       ({@link BatchEvaluator#settingsDigest()}): a resumed run must evaluate under the same;
 *                       null in a checkpoint written before evoprune kept it (not checked)
 * @param counters       the run's evaluation counters by name when the state was saved (empty from the search
 *                       itself), so that a resumed run counts every session in its summary and the Spark UI
 */
public record SearchState(int generation, List<Member> population, Map<MaskDigest, EvaluationResult> evaluated,
                          Mask bestMask, double bestFitness, int sinceImprovement, List<GenerationStats> history,
                          double seconds, Long settingsDigest, Map<String, Long> counters) {

    /** One individual: its mask, the generation it was born in, and its fitness. */
    public record Member(Mask mask, long born, double fitness) {
    }

    public SearchState {
        counters = Map.copyOf(counters);
        population = List.copyOf(population);
        evaluated = Collections.unmodifiableMap(new LinkedHashMap<>(evaluated));
        history = List.copyOf(history);
        if (history.size() != generation + 1) {
            throw new IllegalArgumentException("A state after generation " + generation + " needs " + (generation + 1)
                    + " generations of statistics, but has " + history.size());
        }
        for (Member m : population) {
            if (!evaluated.containsKey(MaskDigest.of(m.mask()))) {
                throw new IllegalArgumentException("Population member " + m.mask() + " has no evaluation");
            }
        }
        if (!evaluated.containsKey(MaskDigest.of(bestMask))) {
            throw new IllegalArgumentException("The best mask " + bestMask + " has no evaluation");
        }
    }

    /** This state with the run's evaluation counters, as a checkpoint keeps it. */
    public SearchState withCounters(Map<String, Long> runCounters) {
        return new SearchState(generation, population, evaluated, bestMask, bestFitness, sinceImprovement, history,
                seconds, settingsDigest, runCounters);
    }
}
