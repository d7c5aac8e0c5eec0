package io.evoprune.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.evaluation.Candidate;
import io.evoprune.evaluation.EvaluationResult;
import io.evoprune.mask.Mask;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The share of a generation's evaluations that may fail before the search stops, and the log of each failure. */
class FailureBudgetTest {
    private static final String KEY = "evaluation.max-failed-fraction";

    /** Four candidates; those whose index is below {@code failing} fail. */
    private static List<EvaluationResult> run(double budget, int failing, List<String> log) {
        return run(4, budget, failing, log);
    }

    private static List<EvaluationResult> run(int count, double budget, int failing, List<String> log) {
        BatchEvaluator inner = (generation, candidates) -> candidates.stream()
                .map(c -> c.index() < failing ? EvaluationResult.failure(c.index(), 0.5, 1, "diverged at batch " + c.index())
                        : new EvaluationResult(c.index(), 0.8, 0.8, 0.4, 0.5, 10, 1, null))
                .toList();
        List<Candidate> candidates = IntStream.range(0, count)
                .mapToObj(i -> new Candidate(i, Mask.of(8, b -> b != i), 1000 + i)).toList();
        return new FailureBudget(inner, budget, KEY, log::add, 16).evaluate(3, candidates);
    }

    @Test
    void failuresUpToTheBudgetAreLoggedAndPassedOn() {
        List<String> log = new ArrayList<>();
        List<EvaluationResult> results = run(0.25, 1, log);
        assertEquals(4, results.size());
        assertTrue(results.get(0).failed());
        assertEquals(List.of("generation 3: candidate 0 " + Mask.of(8, b -> b != 0) + " gets the worst fitness: "
                + "diverged at batch 0"), log);
        List<String> none = new ArrayList<>();
        assertEquals(4, run(0, 0, none).size(), "no failure passes even a budget of 0");
        assertEquals(List.of(), none);
    }

    @Test
    void moreFailuresThanTheBudgetStopTheSearchNamingTheKeyAndTheFirstFailure() {
        List<String> log = new ArrayList<>();
        var e = assertThrows(FailureBudget.TooManyFailuresException.class, () -> run(0.25, 2, log));
        assertEquals("Generation 3: 2 of 4 evaluations failed or diverged, more than " + KEY + " = 0.25 allows; "
                + "first: diverged at batch 0. If such candidates are expected, a resume may raise it: --set " + KEY
                + "=...", e.getMessage());
        assertEquals(2, log.size(), "each failure is logged before the search stops");
        assertThrows(FailureBudget.TooManyFailuresException.class, () -> run(0, 1, new ArrayList<>()),
                "a budget of 0 allows none");
        assertEquals(4, run(1, 4, new ArrayList<>()).size(), "a budget of 1 allows all");
    }

    @Test
    void aFewNewEvaluationsAreJudgedAsAtLeastFour() {
        // A converged search's generation of one new mask, which diverges: no sign of a sick cluster.
        assertEquals(1, run(1, 0.5, 1, new ArrayList<>()).size());
        assertEquals(2, run(2, 0.5, 2, new ArrayList<>()).size());
        var e = assertThrows(FailureBudget.TooManyFailuresException.class, () -> run(3, 0.5, 3, new ArrayList<>()));
        assertTrue(e.getMessage().startsWith("Generation 3: 3 of 3 evaluations failed or diverged, more than " + KEY
                + " = 0.5 allows (of at least 4); "), e.getMessage());
        assertThrows(FailureBudget.TooManyFailuresException.class, () -> run(1, 0, 1, new ArrayList<>()),
                "a budget of 0 still allows none");
    }

    @Test
    void aPopulationSmallerThanFourIsJudgedOnAllItsMembers() {
        // Population 2: both failing is the whole generation, not a stray candidate.
        List<Candidate> two = List.of(new Candidate(0, Mask.of(8, b -> b != 0), 1), new Candidate(1, Mask.of(8, b -> b != 1), 2));
        BatchEvaluator failing = (generation, candidates) -> candidates.stream()
                .map(c -> EvaluationResult.failure(c.index(), 0.5, 1, "diverged")).toList();
        var e = assertThrows(FailureBudget.TooManyFailuresException.class,
                () -> new FailureBudget(failing, 0.5, KEY, s -> { }, 2).evaluate(0, two));
        assertTrue(e.getMessage().startsWith("Generation 0: 2 of 2 evaluations failed or diverged, more than " + KEY
                + " = 0.5 allows; "), e.getMessage());
        assertEquals(1, new FailureBudget(failing, 0.5, KEY, s -> { }, 2).evaluate(0, two.subList(0, 1)).size(),
                "one of two, the other a cache hit: half, which the budget allows");
    }

    @Test
    void cacheHitsAndTheSettingsDigestReachTheInnerEvaluator() {
        List<Integer> hits = new ArrayList<>();
        BatchEvaluator inner = new BatchEvaluator() {
            @Override
            public List<EvaluationResult> evaluate(int generation, List<Candidate> candidates) {
                return List.of();
            }

            @Override
            public void cacheHits(int generation, int count) {
                hits.add(generation);
                hits.add(count);
            }

            @Override
            public long settingsDigest() {
                return 77;
            }
        };
        FailureBudget budget = new FailureBudget(inner, 0.5, KEY, s -> { }, 16);
        budget.cacheHits(2, 5);
        assertEquals(List.of(2, 5), hits);
        assertEquals(77, budget.settingsDigest());
    }
}
