package io.evoprune.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.config.SearchConfig;
import io.evoprune.evaluation.Candidate;
import io.evoprune.evaluation.EvaluationResult;
import io.evoprune.mask.Mask;
import io.evoprune.mask.MaskRepair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
                stats::add, null).run(new PickRule(true, 0.05), 1.0);
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
    void theTimeLimitStopsASearchThatHasReachedItExactly() {
        // Each batch moves the fake clock on by 0.5 s: 1.0 s after generation 1 is the limit itself.
        long[] now = {0};
        Fakes.Scorer scorer = new Fakes.Scorer(Nsga2SearchTest::accuracy, 1);
        BatchEvaluator halfSecond = (generation, candidates) -> {
            now[0] += 500_000_000L;
            return scorer.evaluate(generation, candidates);
        };
        SearchConfig config = new SearchConfig(10, 1000, 0, 1, SearchConfig.Selection.TOURNAMENT, 2,
                SearchConfig.Crossover.SINGLE_POINT, 0.9, 0.05, 1, 0.5, 42);
        List<GenerationStats> stats = new ArrayList<>();
        SearchResult r = new Nsga2Search(config, BITS, halfSecond, KEPT_BITS, List.of(), stats::add, null, () -> now[0])
                .run(new PickRule(true, 0.05), 1.0).result();
        assertEquals("time limit (1 s)", r.stopReason());
        assertEquals(2, stats.size(), "generations 0 and 1");
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
        assertEquals(List.of(0, 0, 1), Arrays.stream(Pareto.ranks(objectives)).boxed().toList());
        // A front of failures only (every objective +inf): distances stay numbers, never inf - inf.
        double[][] failures = {failed.objectives(), failed.objectives(), failed.objectives()};
        double[] crowding = Pareto.crowding(failures, new int[] {0, 1, 2});
        assertTrue(Arrays.stream(crowding).noneMatch(Double::isNaN), Arrays.toString(crowding));
        assertEquals(List.of(a, b), Nsga2Search.front(List.of(failed, a, b)));
        assertEquals(List.of(failed), Nsga2Search.front(List.of(failed)), "only failures: the run says so elsewhere");
    }

    @Test
    void generationStatsAreTheBestTheMeanOfTheEvaluatedAndTheWorst() {
        List<Mask> seeds = List.of(Mask.of(8, i -> i < 1), Mask.of(8, i -> i < 2), Mask.of(8, i -> i < 3),
                Mask.of(8, i -> i < 4));
        BatchEvaluator oneKeptBitFails = (generation, candidates) -> {
            List<EvaluationResult> out = new ArrayList<>();
            for (Candidate c : candidates) {
                int k = c.mask().keptCount();
                out.add(k == 1 ? EvaluationResult.failure(c.index(), c.mask().keptFraction(), 0, "diverged")
                        : new EvaluationResult(c.index(), 0.1 * k, 0.2 * k, 0, c.mask().keptFraction(), k, 0, null));
            }
            return out;
        };
        SearchConfig config = new SearchConfig(4, 0, 0, 0, SearchConfig.Selection.TOURNAMENT, 2,
                SearchConfig.Crossover.SINGLE_POINT, 0.9, 0.05, 1, 0.5, 42);
        List<GenerationStats> stats = new ArrayList<>();
        new Nsga2Search(config, 8, oneKeptBitFails, KEPT_BITS, seeds, stats::add, null).run(new PickRule(false, 0), 1);
        GenerationStats g0 = stats.get(0);
        assertEquals(0.4, g0.bestFitness(), 1e-12);
        assertEquals(0.8, g0.bestAccuracy(), 1e-12);
        assertEquals(0.5, g0.bestKeptFraction(), 1e-12);
        assertEquals((0.2 + 0.3 + 0.4) / 3, g0.meanFitness(), 1e-12, "the failure is left out of the mean");
        assertEquals(-1e9, g0.worstFitness());
        assertEquals(4, g0.evaluations());
        assertEquals(1, g0.failed());
    }

    @Test
    void everyGenerationIsCountedOnItsOwnAndTheEvaluatorHearsItsNumberAndCacheHits() {
        Fakes.Scorer scorer = new Fakes.Scorer(Nsga2SearchTest::accuracy, 0);
        List<Integer> generations = new ArrayList<>();
        List<Integer> sent = new ArrayList<>();
        List<int[]> told = new ArrayList<>();
        BatchEvaluator evaluator = new BatchEvaluator() {
            @Override
            public List<EvaluationResult> evaluate(int generation, List<Candidate> candidates) {
                generations.add(generation);
                sent.add(candidates.size());
                return scorer.evaluate(generation, candidates);
            }

            @Override
            public void cacheHits(int generation, int hits) {
                told.add(new int[] {generation, hits});
            }
        };
        SearchConfig config = new SearchConfig(8, 4, 0, 0, SearchConfig.Selection.TOURNAMENT, 2,
                SearchConfig.Crossover.UNIFORM, 0.9, 0.05, 1, 0.5, 42);
        List<GenerationStats> stats = new ArrayList<>();
        new Nsga2Search(config, BITS, evaluator, KEPT_BITS, List.of(), stats::add, null).run(new PickRule(false, 0), 1);
        assertEquals(5, stats.size());
        // a generation whose children were all known sends no batch: match the batches by generation number
        for (GenerationStats g : stats) {
            int idx = generations.indexOf(g.generation());
            assertEquals(idx < 0 ? 0 : sent.get(idx), g.evaluations(), "generation " + g.generation());
            assertEquals(8, g.evaluations() + g.cacheHits(), "every child is either evaluated or a cache hit");
        }
        assertEquals(generations.stream().sorted().distinct().toList(), generations, "one batch per generation, in order");
        assertEquals(5, told.size());
        for (int g = 0; g < told.size(); g++) {
            assertEquals(g, told.get(g)[0]);
            assertEquals(stats.get(g).cacheHits(), told.get(g)[1]);
        }
    }

    private static SearchConfig config(int population, int generations, double crossover, double mutation,
                                       double initialKeep) {
        return new SearchConfig(population, generations, 0, 0, SearchConfig.Selection.TOURNAMENT, 2,
                SearchConfig.Crossover.SINGLE_POINT, crossover, mutation, 1, initialKeep, 42);
    }

    /** The masks each generation sent for evaluation (cache hits are never sent). */
    private static List<List<Mask>> batches(SearchConfig config, MaskRepair repair) {
        List<List<Mask>> batches = new ArrayList<>();
        Fakes.Scorer scorer = new Fakes.Scorer(Nsga2SearchTest::accuracy, 1);
        BatchEvaluator recording = (generation, candidates) -> {
            batches.add(candidates.stream().map(c -> c.mask()).toList());
            return scorer.evaluate(generation, candidates);
        };
        new Nsga2Search(config, BITS, recording, KEPT_BITS, List.of(), s -> { }, repair).run(new PickRule(true, 0.05), 1);
        return batches;
    }

    @Test
    void theInitialPopulationFollowsTheKeepProbability() {
        for (double keep : new double[] {0.2, 0.8}) {
            List<Mask> first = batches(config(40, 0, 0.9, 0.05, keep), null).get(0);
            double kept = first.stream().mapToDouble(Mask::keptFraction).average().orElseThrow();
            assertEquals(keep, kept, 0.05, "960 bits: sigma under 0.015");
        }
    }

    @Test
    void withoutCrossoverEveryChildIsItsParentMutated() {
        // Every bit flips: each child is the complement of a parent of generation 0.
        List<List<Mask>> batches = batches(config(8, 1, 0, 1, 0.5), null);
        Set<Mask> complements = new HashSet<>();
        for (Mask parent : batches.get(0)) {
            complements.add(Mask.of(BITS, i -> !parent.isKept(i)));
        }
        assertFalse(batches.get(1).isEmpty());
        assertTrue(complements.containsAll(batches.get(1)), batches.get(1).toString());
        // No flips and no crossover: the children are the parents, all known already.
        assertEquals(1, batches(config(8, 3, 0, 0, 0.5), null).size(), "nothing new after generation 0");
    }

    @Test
    void singlePointCutsFallInsideTheMaskAtEveryPosition() {
        Mask zeros = Mask.of(3, i -> false);
        Mask ones = Mask.allKept(3);
        int[] cuts = new int[4];
        int newChildren = 0;
        int runs = 300;
        for (long seed = 0; seed < runs; seed++) {
            List<List<Mask>> batches = new ArrayList<>();
            Fakes.Scorer scorer = new Fakes.Scorer(Mask::keptFraction, 0);
            BatchEvaluator recording = (generation, candidates) -> {
                batches.add(candidates.stream().map(Candidate::mask).toList());
                return scorer.evaluate(generation, candidates);
            };
            SearchConfig config = new SearchConfig(2, 1, 0, 0, SearchConfig.Selection.TOURNAMENT, 2,
                    SearchConfig.Crossover.SINGLE_POINT, 1, 0, 1, 0.5, seed);
            new Nsga2Search(config, 3, recording, KEPT_BITS, List.of(zeros, ones), st -> { }, null)
                    .run(new PickRule(false, 0), 1);
            if (batches.size() < 2) {
                continue;
            }
            for (Mask child : batches.get(1)) {
                String c = child.toBitString();
                assertTrue(c.matches("0+1+|1+0+"), "a head of one parent and the tail of the other: " + c);
                cuts[Math.max(c.indexOf('1'), c.indexOf('0'))]++;
                newChildren++;
            }
        }
        // Parents are drawn alike (both on the front, both extremes) and differ in half the pairs; every cut inside
        // the mask (1 or 2) then makes a new one: about 0.94 new children per run (duplicates are sent once). A cut
        // at the end copies a parent, which is never sent: that would leave about half as many.
        assertTrue(cuts[1] > 0 && cuts[2] > 0, Arrays.toString(cuts));
        assertTrue(newChildren > 0.75 * runs, "new children " + newChildren + " of " + 2 * runs);
    }

    @Test
    void everyMaskEvaluatedKeepsEachLayersMinimum() {
        // Ten bits over Fakes.halfOfEachLayer's two layers; sparse masks and heavy mutation empty layers often.
        MaskRepair repair = Fakes.halfOfEachLayer();
        SearchConfig sparse = new SearchConfig(8, 4, 0, 0, SearchConfig.Selection.TOURNAMENT, 2,
                SearchConfig.Crossover.SINGLE_POINT, 0.9, 0.3, 1, 0.1, 42);
        List<Mask> repaired = new ArrayList<>();
        List<Mask> free = new ArrayList<>();
        for (List<Mask> seen : List.of(repaired, free)) {
            Fakes.Scorer scorer = new Fakes.Scorer(m -> 1 - m.keptFraction(), 1);
            new Nsga2Search(sparse, 10, scorer, KEPT_BITS, List.of(), s -> { }, seen == repaired ? repair : null)
                    .run(new PickRule(true, 0.05), 1);
            seen.addAll(scorer.seen);
        }
        assertTrue(repaired.stream().allMatch(repair::satisfied), repaired.toString());
        assertFalse(free.stream().allMatch(repair::satisfied), "the same run unrepaired empties some layer");
    }

    @Test
    void aTournamentGoesToTheLowerRankThenTheLonelierThenTheFirstDrawn() {
        int[] rank = {0, 1, 0, 0};
        double[] crowd = {0.5, 9, Double.POSITIVE_INFINITY, 0.5};
        assertEquals(0, Nsga2Search.winner(0, 1, rank, crowd), "rank beats crowding");
        assertEquals(0, Nsga2Search.winner(1, 0, rank, crowd));
        assertEquals(2, Nsga2Search.winner(0, 2, rank, crowd), "same rank: the larger distance");
        assertEquals(2, Nsga2Search.winner(2, 0, rank, crowd));
        assertEquals(0, Nsga2Search.winner(0, 3, rank, crowd), "a full tie: the first drawn");
        assertEquals(3, Nsga2Search.winner(3, 0, rank, crowd));
    }

    @Test
    void survivorsAreTheBestDistinctMasksOfParentsAndChildrenFilledUpWithParents() {
        ParetoPoint small = point(Mask.of(BITS, i -> i < 2), 0.5);
        ParetoPoint large = point(Mask.of(BITS, i -> i < 12), 0.8);
        ParetoPoint worse = point(Mask.of(BITS, i -> i >= 12), 0.4); // 12 bits for 0.4: dominated by large
        ParetoPoint better = point(Mask.of(BITS, i -> i < 3), 0.9);  // dominates large
        assertEquals(List.of(small, better), Nsga2Search.survivors(List.of(small, large, worse), List.of(better), 2));
        assertEquals(List.of(small, better, large),
                Nsga2Search.survivors(List.of(small, large), List.of(better, large), 3), "large once, after front 0");
        // A converged population, two distinct masks for four places: the parents again, in order, duplicates too.
        assertEquals(List.of(small, large, small, small),
                Nsga2Search.survivors(List.of(small, small, large, large), List.of(small), 4));
    }

    private static ParetoPoint point(Mask mask, double accuracy) {
        return new ParetoPoint(mask, new EvaluationResult(0, accuracy, accuracy, 1, mask.keptFraction(),
                mask.keptCount(), 1, null), mask.keptCount(), 2L * mask.keptCount());
    }
}
