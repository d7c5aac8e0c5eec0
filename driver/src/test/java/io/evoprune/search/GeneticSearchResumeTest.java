package io.evoprune.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.config.RunConfig;
import io.evoprune.config.SearchConfig;
import io.evoprune.config.Settings;
import io.evoprune.evaluation.EvaluationResult;
import io.evoprune.mask.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The search continued from the state after any generation makes exactly the choices of the uninterrupted
 * search: same populations (members, order, birth generations, fitness), same statistics, same result. The
 * fitness here is a fixed function of the mask, so the test isolates the search from training.
 */
class GeneticSearchResumeTest {
    /** A deterministic fitness: rewards keeping few units, plus a mask-specific wobble; some masks "fail". */
    private static final BatchEvaluator FITNESS = (generation, candidates) -> candidates.stream().map(c -> {
        long wobble = Seeds.mix(c.mask().digest()) & 0xffff;
        if (wobble % 17 == 0) {
            return EvaluationResult.failure(c.index(), c.mask().keptFraction(), 0, "failed: test");
        }
        double fitness = 1 - c.mask().keptFraction() + wobble / 1e6;
        return new EvaluationResult(c.index(), fitness, fitness, 0.1, c.mask().keptFraction(), 1, 0, null);
    }).toList();

    @Test
    void resumingAfterAnyGenerationGivesTheUninterruptedSearch() {
        check(config("search.generations", "6"));
    }

    @Test
    void resumingKeepsTheSteadyStopAndUniformCrossover() {
        check(config("search.generations", "30", "search.steady-generations", "3", "search.crossover", "uniform",
                "search.selection", "roulette"));
    }

    @Test
    void aSearchStoppedByItsTimeLimitResumesToNoFurtherGeneration() {
        // Fake time: 10 s per generation's evaluations, 3 s per checkpoint write (a slow store).
        SearchConfig config = config("search.generations", "30", "search.time-limit-seconds", "25");
        long[] now = {0};
        BatchEvaluator slow = (generation, candidates) -> {
            now[0] += 10_000_000_000L;
            return FITNESS.evaluate(generation, candidates);
        };
        List<SearchState> states = new ArrayList<>();
        SearchResult whole = new GeneticSearch(config, 40, slow, List.of(), s -> { }, null, () -> now[0])
                .run(null, state -> {
                    states.add(state);
                    now[0] += 3_000_000_000L;
                });
        assertEquals("time limit (25 s)", whole.stopReason());
        SearchState last = states.get(states.size() - 1);
        // The stop is judged on what the last checkpoint saved: a resume of it breeds nothing more.
        assertEquals(whole.stopReason(), GeneticSearch.finished(config, last));
        SearchResult resumed = new GeneticSearch(config, 40, slow, List.of(), s -> { }, null, () -> now[0])
                .run(last, state -> { });
        assertEquals(whole.history().size(), resumed.history().size());
        assertEquals(whole.bestMask(), resumed.bestMask());
    }

    private static void check(SearchConfig config) {
        List<SearchState> states = new ArrayList<>();
        SearchResult whole = new GeneticSearch(config, 40, FITNESS, s -> { }, null).run(null, states::add);
        assertTrue(states.size() >= 4, "several generations ran: " + states.size());

        for (SearchState at : states) {
            List<SearchState> after = new ArrayList<>();
            SearchResult resumed = new GeneticSearch(config, 40, FITNESS, s -> { }, null).run(at, after::add);
            String where = "resumed after generation " + at.generation();
            // Only the last state's stop rule is met, and for the reason the search gave: a resume of it evaluates nothing.
            assertEquals(at == states.get(states.size() - 1) ? whole.stopReason() : null,
                    GeneticSearch.finished(config, at), where);
            assertEquals(whole.bestMask(), resumed.bestMask(), where);
            assertEquals(whole.best(), resumed.best(), where);
            assertEquals(whole.stopReason(), resumed.stopReason(), where);
            assertEquals(withoutTimes(whole.history()), withoutTimes(resumed.history()), where);
            List<SearchState> expected = states.subList(at.generation() + 1, states.size());
            assertEquals(expected.size(), after.size(), where);
            for (int i = 0; i < after.size(); i++) {
                assertEquals(expected.get(i).population(), after.get(i).population(), where);
                assertEquals(List.copyOf(expected.get(i).evaluated().keySet()),
                        List.copyOf(after.get(i).evaluated().keySet()), where);
                assertEquals(expected.get(i).sinceImprovement(), after.get(i).sinceImprovement(), where);
            }
        }
    }

    private static List<GenerationStats> withoutTimes(List<GenerationStats> history) {
        return history.stream().map(s -> new GenerationStats(s.generation(), s.bestFitness(), s.meanFitness(),
                s.worstFitness(), s.bestAccuracy(), s.bestKeptFraction(), s.evaluations(), s.cacheHits(), s.failed(), 0))
                .toList();
    }

    private static SearchConfig config(String... pairs) {
        Map<String, String> settings = new java.util.LinkedHashMap<>(Map.of("search.population", "8",
                "search.mutation-probability", "0.05"));
        for (int i = 0; i < pairs.length; i += 2) {
            settings.put(pairs[i], pairs[i + 1]);
        }
        return RunConfig.from(Settings.defaults().with(settings, "test")).search();
    }
}
