package io.evoprune.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.config.SearchConfig;
import io.evoprune.evaluation.EvaluationResult;
import io.evoprune.mask.Mask;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** NSGA-II's loop on a cheap synthetic problem: accuracy grows with kept bits, weighted toward low bits. */
class Nsga2SearchTest {
    private static final int BITS = 24;

    private static double accuracy(Mask m) {
        double a = 0;
        for (int i = 0; i < BITS; i++) {
            if (m.isKept(i)) {
                a += 1.0 / (i + 2);
            }
        }
        return a / 3;
    }

    private static final SizeMeasure KEPT_BITS = new SizeMeasure() {
        @Override
        public long flops(Mask mask) {
            return 2L * mask.keptCount();
        }

        @Override
        public double size(Mask mask, EvaluationResult result) {
            return mask.keptCount();
        }
    };

    private Nsga2Search.Outcome run(List<Mask> seeds, List<GenerationStats> stats) {
        SearchConfig config = new SearchConfig(10, 6, 0, 0, SearchConfig.Selection.TOURNAMENT, 2,
                SearchConfig.Crossover.SINGLE_POINT, 0.9, 0.05, 1, 0.5, 42);
        return new Nsga2Search(config, BITS, new Fakes.Scorer(Nsga2SearchTest::accuracy, 1), KEPT_BITS, seeds,
                stats::add).run(new PickRule(true, 0.05), 1.0);
    }

    @Test
    void frontIsNonDominatedSortedAndReproducible() {
        List<GenerationStats> stats = new ArrayList<>();
        Nsga2Search.Outcome outcome = run(List.of(), stats);
        assertEquals(7, stats.size(), "generation 0 and six more");
        List<ParetoPoint> front = outcome.front();
        assertTrue(front.size() >= 3, "a spread of trade-offs, got " + front.size());
        for (ParetoPoint a : front) {
            for (ParetoPoint b : front) {
                assertFalse(Pareto.dominates(a.objectives(), b.objectives()));
            }
        }
        for (int i = 1; i < front.size(); i++) {
            assertTrue(front.get(i).size() >= front.get(i - 1).size());
        }
        assertTrue(front.contains(outcome.chosen()));
        assertEquals(outcome.chosen().mask(), outcome.result().bestMask());
        assertEquals(front.stream().map(ParetoPoint::mask).toList(),
                run(List.of(), new ArrayList<>()).front().stream().map(ParetoPoint::mask).toList());
    }

    @Test
    void stopsAtTheTimeLimit() {
        // A fake clock that each batch of evaluations moves on by 0.4 s: no sleeping, no dependence on load.
        long[] now = {0};
        Fakes.Scorer scorer = new Fakes.Scorer(Nsga2SearchTest::accuracy, 1);
        BatchEvaluator slow = (generation, candidates) -> {
            now[0] += 400_000_000L;
            return scorer.evaluate(generation, candidates);
        };
        SearchConfig config = new SearchConfig(10, 1000, 0, 1, SearchConfig.Selection.TOURNAMENT, 2,
                SearchConfig.Crossover.SINGLE_POINT, 0.9, 0.05, 1, 0.5, 42);
        List<GenerationStats> stats = new ArrayList<>();
        SearchResult r = new Nsga2Search(config, BITS, slow, KEPT_BITS, List.of(), stats::add, null, () -> now[0])
                .run(new PickRule(true, 0.05), 1.0).result();
        assertEquals("time limit (1 s)", r.stopReason());
        // 0.8 s after generation 1 is under the limit, 1.2 s after generation 2 is not.
        assertEquals(3, stats.size(), "generations 0, 1 and 2");
        assertEquals(1.2, r.seconds(), 1e-9);
    }

    @Test
    void seedsEnterTheInitialPopulation() {
        Mask seed = Mask.of(BITS, i -> i < 3);
        Nsga2Search.Outcome outcome = run(List.of(seed), new ArrayList<>());
        // The seed keeps the three most valuable bits: nothing evaluated can dominate it at 3 kept bits
        // unless it is the same accuracy with fewer bits, which the objective forbids.
        assertTrue(outcome.front().stream().anyMatch(p -> p.mask().equals(seed)));
    }

    @Test
    void aFailedEvaluationIsDominatedByEveryEvaluatedMaskAndStaysOffTheFront() {
        Mask small = Mask.of(BITS, i -> i < 2);
        Mask large = Mask.of(BITS, i -> i < 12);
        Mask failedTiny = Mask.of(BITS, i -> i == 0);
        ParetoPoint a = new ParetoPoint(small, new EvaluationResult(0, 0.5, 0.5, 1, 2 / 24.0, 100, 1, null), 100, 200);
        ParetoPoint b = new ParetoPoint(large, new EvaluationResult(1, 0.8, 0.8, 1, 0.5, 600, 1, null), 600, 1200);
        // A failure reports nothing kept: size 0 would dominate every mask on size if it counted.
        ParetoPoint failed = new ParetoPoint(failedTiny, EvaluationResult.failure(2, 1 / 24.0, 1, "diverged"), 0, 0);
        double[][] objectives = {a.objectives(), b.objectives(), failed.objectives()};
        assertEquals(List.of(0, 0, 1), java.util.Arrays.stream(Pareto.ranks(objectives)).boxed().toList());
        // A front of failures only (every objective +inf): distances stay numbers, never inf - inf.
        double[][] failures = {failed.objectives(), failed.objectives(), failed.objectives()};
        double[] crowding = Pareto.crowding(failures, new int[] {0, 1, 2});
        assertTrue(java.util.Arrays.stream(crowding).noneMatch(Double::isNaN), java.util.Arrays.toString(crowding));
        assertEquals(List.of(a, b), Nsga2Search.front(List.of(failed, a, b)));
        assertEquals(List.of(failed), Nsga2Search.front(List.of(failed)), "only failures: the run says so elsewhere");
    }
}
