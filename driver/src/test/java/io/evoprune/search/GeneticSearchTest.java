package io.evoprune.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.config.RunConfig;
import io.evoprune.config.SearchConfig;
import io.evoprune.config.Settings;
import io.evoprune.evaluation.Candidate;
import io.evoprune.evaluation.EvaluationResult;
import io.evoprune.mask.Mask;
import io.evoprune.mask.MaskRepair;
import io.jenetics.BitGene;
import io.jenetics.Phenotype;
import io.jenetics.util.ISeq;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The search on a fitness whose optimum is known: the score is the share of bits that match a hidden target
 * mask. The evaluator is a plain function, so these tests run in milliseconds; the Spark-backed evaluator is
 * tested in the job tests.
 */
class GeneticSearchTest {
    private static final int BITS = 64;
    private static final Mask TARGET = Mask.of(BITS, i -> (i * 37) % 5 < 2);

    /** Scores masks by closeness to TARGET and records every batch it was given. */
    static final class MatchEvaluator implements BatchEvaluator {
        final List<List<Candidate>> batches = new ArrayList<>();

        @Override
        public List<EvaluationResult> evaluate(int generation, List<Candidate> candidates) {
            batches.add(candidates);
            List<EvaluationResult> out = new ArrayList<>();
            for (Candidate c : candidates) {
                double score = score(c.mask());
                out.add(new EvaluationResult(c.index(), score, score, 1 - score, c.mask().keptFraction(),
                        c.mask().keptCount(), 0, null));
            }
            return out;
        }

        static double score(Mask mask) {
            int same = 0;
            for (int i = 0; i < BITS; i++) {
                same += mask.isKept(i) == TARGET.isKept(i) ? 1 : 0;
            }
            return same / (double) BITS;
        }
    }

    private static SearchConfig config(Map<String, String> overrides) {
        return RunConfig.from(Settings.defaults().with(overrides, "test")).search();
    }

    private static SearchResult run(SearchConfig config, MatchEvaluator evaluator) {
        return new GeneticSearch(config, BITS, evaluator, s -> { }, null).run();
    }

    @Test
    void theMeanFitnessIsOverTheMembersThatEvaluated() {
        List<Double> scored = new ArrayList<>();
        BatchEvaluator failingFirst = (generation, candidates) -> {
            List<EvaluationResult> out = new ArrayList<>();
            for (Candidate c : candidates) {
                double score = 0.5 + 0.01 * c.index();
                out.add(c.index() == 0 ? EvaluationResult.failure(0, c.mask().keptFraction(), 0, "test failure")
                        : new EvaluationResult(c.index(), score, score, 0, c.mask().keptFraction(), 0, 0, null));
                if (c.index() != 0) {
                    scored.add(score);
                }
            }
            return out;
        };
        List<GenerationStats> stats = new ArrayList<>();
        new GeneticSearch(config(Map.of("search.population", "4", "search.generations", "0")), BITS, failingFirst,
                stats::add, null).run();
        assertEquals(scored.stream().mapToDouble(Double::doubleValue).average().orElseThrow(),
                stats.get(0).meanFitness(), 1e-12);
        assertEquals(-1e9, stats.get(0).worstFitness(), "the failure stays the worst");
        assertEquals(1, stats.get(0).failed());
        assertEquals(4, stats.get(0).evaluations());
        assertEquals(0, stats.get(0).cacheHits(), "generation 0 has no elites to leave out of the hits");
    }

    @Test
    void refusesElitesOrTournamentsThePopulationCannotHold() {
        // NSGA-II settings skip these checks; the genetic search still makes them when handed such a config.
        SearchConfig nsga2 = config(Map.of("search.strategy", "nsga2", "search.population", "2"));
        String m = assertThrows(IllegalArgumentException.class,
                () -> run(nsga2, new MatchEvaluator())).getMessage();
        assertTrue(m.startsWith("search.tournament-size must be at most search.population (2)"), m);
    }

    @Test
    void selectionAndVariationClimbTowardsTheOptimum() {
        for (String selection : new String[] {"tournament", "roulette"}) {
            for (String crossover : new String[] {"single-point", "uniform"}) {
                SearchResult r = run(config(Map.of("search.population", "30", "search.generations", "40",
                        "search.selection", selection, "search.crossover", crossover,
                        "search.mutation-probability", "0.02")), new MatchEvaluator());
                double first = r.history().get(0).bestFitness();
                double last = r.history().get(r.history().size() - 1).bestFitness();
                assertTrue(last > first + 0.1, selection + "/" + crossover + ": " + first + " -> " + last);
                // With elitism the best never gets worse from one generation to the next.
                for (int g = 1; g < r.history().size(); g++) {
                    assertTrue(r.history().get(g).bestFitness() >= r.history().get(g - 1).bestFitness());
                }
            }
        }
    }

    @Test
    void sameSeedSameRunOtherSeedOtherRun() {
        SearchConfig a = config(Map.of("search.generations", "6"));
        SearchResult first = run(a, new MatchEvaluator());
        SearchResult again = run(a, new MatchEvaluator());
        assertEquals(first.bestMask(), again.bestMask());
        assertEquals(withoutTime(first.history()), withoutTime(again.history()));
        SearchResult other = run(config(Map.of("search.generations", "6", "search.seed", "7")), new MatchEvaluator());
        assertNotEquals(withoutTime(first.history()), withoutTime(other.history()));
    }

    @Test
    void elitesAndDuplicatesAreNeverEvaluatedTwice() {
        MatchEvaluator evaluator = new MatchEvaluator();
        SearchResult r = run(config(Map.of("search.population", "12", "search.elitism", "3",
                "search.generations", "8", "search.mutation-probability", "0.001")), evaluator);
        Set<Mask> seen = new HashSet<>();
        for (List<Candidate> batch : evaluator.batches) {
            for (Candidate c : batch) {
                assertTrue(seen.add(c.mask()), "evaluated twice: " + c.mask());
            }
        }
        assertEquals(12, evaluator.batches.get(0).size());
        for (int g = 1; g < r.history().size(); g++) {
            GenerationStats s = r.history().get(g);
            assertTrue(s.evaluations() + s.cacheHits() == 9, "offspring = population - elitism: " + s);
        }
        assertTrue(r.cacheHits() > 0, "a low mutation rate must breed some duplicates");
        assertEquals(seen.size(), r.evaluations());
    }

    @Test
    void aMasksSeedDependsOnlyOnRunSeedAndBits() {
        MatchEvaluator one = new MatchEvaluator();
        run(config(Map.of("search.generations", "2")), one);
        Candidate c = one.batches.get(0).get(3);
        CachingEvaluator cache = new CachingEvaluator(new MatchEvaluator(), 42, 2, java.util.Map.of());
        assertEquals(c.seed(), cache.seedFor(Mask.parse(c.mask().toBitString())));
        assertNotEquals(c.seed(), new CachingEvaluator(new MatchEvaluator(), 43, 2, java.util.Map.of()).seedFor(c.mask()));
    }

    @Test
    void initialPopulationFollowsTheKeepProbability() {
        MatchEvaluator evaluator = new MatchEvaluator();
        run(config(Map.of("search.population", "50", "search.generations", "0",
                "search.init-keep-probability", "0.2")), evaluator);
        double kept = evaluator.batches.get(0).stream().mapToDouble(c -> c.mask().keptFraction()).average().orElseThrow();
        assertEquals(0.2, kept, 0.03); // 3200 bits: sigma = 0.007
    }

    @Test
    void stopsWhenTheBestStopsImproving() {
        SearchResult r = run(config(Map.of("search.generations", "200", "search.steady-generations", "3",
                "search.mutation-probability", "0")), new MatchEvaluator());
        assertEquals("no improvement for 3 generations", r.stopReason());
        // The rule stops exactly three generations after the last improvement of the best, not later.
        List<Double> best = r.history().stream().map(GenerationStats::bestFitness).toList();
        int lastImprovement = 0;
        for (int g = 1; g < best.size(); g++) {
            if (best.get(g) > best.get(g - 1)) {
                lastImprovement = g;
            }
        }
        assertEquals(lastImprovement + 1 + 3, r.history().size(), best.toString());
        assertTrue(r.history().size() < 200, "it stopped before the generation limit");
    }

    @Test
    void stopsAtTheTimeLimit() {
        // A fake clock that each batch of evaluations moves on by 0.4 s: no sleeping, no dependence on load.
        long[] now = {0};
        BatchEvaluator slow = (generation, candidates) -> {
            now[0] += 400_000_000L;
            return new MatchEvaluator().evaluate(generation, candidates);
        };
        SearchResult r = new GeneticSearch(config(Map.of("search.generations", "1000", "search.time-limit-seconds", "1")),
                BITS, slow, List.of(), s -> { }, null, () -> now[0]).run();
        assertEquals("time limit (1 s)", r.stopReason());
        // 0.8 s after generation 1 is under the limit, 1.2 s after generation 2 is not.
        assertEquals(3, r.history().size(), "generations 0, 1 and 2");
        assertEquals(1.2, r.seconds(), 1e-9);
    }

    @Test
    void theTimeLimitStopsASearchThatHasReachedItExactly() {
        // Each batch moves the fake clock on by 0.5 s: 1.0 s after generation 1 is the limit itself.
        long[] now = {0};
        BatchEvaluator halfSecond = (generation, candidates) -> {
            now[0] += 500_000_000L;
            return new MatchEvaluator().evaluate(generation, candidates);
        };
        SearchResult r = new GeneticSearch(config(Map.of("search.generations", "1000", "search.time-limit-seconds", "1")),
                BITS, halfSecond, List.of(), s -> { }, null, () -> now[0]).run();
        assertEquals("time limit (1 s)", r.stopReason());
        assertEquals(2, r.history().size(), "generations 0 and 1");
    }

    @Test
    void everyMaskEvaluatedKeepsEachLayersMinimum() {
        // Ten bits over Fakes.halfOfEachLayer's two layers; sparse masks and heavy mutation empty layers often.
        MaskRepair repair = Fakes.halfOfEachLayer();
        SearchConfig sparse = config(Map.of("search.population", "8", "search.generations", "4",
                "search.init-keep-probability", "0.1", "search.mutation-probability", "0.3"));
        Fakes.Scorer repaired = new Fakes.Scorer(m -> 1 - m.keptFraction(), 0);
        new GeneticSearch(sparse, 10, repaired, s -> { }, repair).run();
        assertTrue(repaired.seen.stream().allMatch(repair::satisfied), repaired.seen.toString());
        Fakes.Scorer free = new Fakes.Scorer(m -> 1 - m.keptFraction(), 0);
        new GeneticSearch(sparse, 10, free, s -> { }, null).run();
        assertFalse(free.seen.stream().allMatch(repair::satisfied), "the same run unrepaired empties some layer");
    }

    @Test
    void aGenerationLimitedRunBreedsExactlyThatManyGenerations() {
        SearchResult r = run(config(Map.of("search.generations", "4", "search.steady-generations", "0")),
                new MatchEvaluator());
        assertEquals("generation limit (4)", r.stopReason());
        assertEquals(List.of(0, 1, 2, 3, 4), r.history().stream().map(GenerationStats::generation).toList());
    }

    @Test
    void theResultIsTheBestOfTheRun() {
        SearchResult r = run(config(Map.of("search.population", "20", "search.generations", "15",
                "search.steady-generations", "0", "search.mutation-probability", "0.05")), new MatchEvaluator());
        double bestOfRun = r.history().stream().mapToDouble(GenerationStats::bestFitness).max().orElseThrow();
        assertTrue(bestOfRun > r.history().get(0).bestFitness(), "the fixture must improve on generation 0");
        assertEquals(bestOfRun, r.best().fitness(), 1e-12);
        assertEquals(r.best().fitness(), MatchEvaluator.score(r.bestMask()), 1e-12);
    }

    @Test
    void seedsOpenTheInitialPopulationAndRandomMasksFillItUp() {
        Mask a = Mask.allKept(BITS);
        Mask b = Mask.of(BITS, i -> i % 2 == 0);
        MatchEvaluator evaluator = new MatchEvaluator();
        SearchConfig six = config(Map.of("search.population", "6", "search.generations", "0"));
        new GeneticSearch(six, BITS, evaluator, List.of(a, b), s -> { }, null).run();
        assertEquals(6, evaluator.batches.get(0).size());
        assertEquals(a, evaluator.batches.get(0).get(0).mask());
        assertEquals(b, evaluator.batches.get(0).get(1).mask());
        var e = assertThrows(IllegalArgumentException.class,
                () -> new GeneticSearch(six, BITS, evaluator, List.of(Mask.allKept(BITS + 1)), s -> { }, null));
        assertEquals("A seed mask has 65 bits, but the genome has 64", e.getMessage());
    }

    @Test
    void checkpointsCarryTheSettingsDigestAndTheEvaluatorHearsTheCacheHits() {
        MatchEvaluator scores = new MatchEvaluator();
        List<int[]> told = new ArrayList<>();
        BatchEvaluator digested = new BatchEvaluator() {
            @Override
            public List<EvaluationResult> evaluate(int generation, List<Candidate> candidates) {
                return scores.evaluate(generation, candidates);
            }

            @Override
            public void cacheHits(int generation, int hits) {
                told.add(new int[] {generation, hits});
            }

            @Override
            public long settingsDigest() {
                return 0x5EEDL;
            }
        };
        List<SearchState> states = new ArrayList<>();
        SearchResult r = new GeneticSearch(config(Map.of("search.generations", "3", "search.steady-generations", "0",
                "search.mutation-probability", "0.001")), BITS, digested, s -> { }, null).run(null, states::add);
        assertEquals(4, states.size());
        for (SearchState s : states) {
            assertEquals(Long.valueOf(0x5EEDL), s.settingsDigest());
        }
        assertEquals(4, told.size());
        for (int g = 0; g < told.size(); g++) {
            assertEquals(g, told.get(g)[0]);
            assertEquals(r.history().get(g).cacheHits(), told.get(g)[1]);
        }
        assertTrue(told.stream().anyMatch(t -> t[1] > 0), "a low mutation rate breeds duplicates");
    }

    @Test
    void theCrossoverSettingPicksTheOperatorThatCutsTheMasks() {
        // Parents all-zero and all-one, crossover always, no mutation: a child's runs of equal bits show the cuts.
        // Jenetics may cross a child again in the same generation, so a single-point child has a few cuts (at most
        // one per crossover among the 3 offspring); a uniform child switches parents at about every other bit.
        List<Mask> parents = List.of(Mask.of(BITS, i -> false), Mask.allKept(BITS), Mask.of(BITS, i -> false),
                Mask.allKept(BITS));
        Map<String, Integer> mostCuts = new HashMap<>();
        for (String crossover : new String[] {"single-point", "uniform"}) {
            MatchEvaluator evaluator = new MatchEvaluator();
            new GeneticSearch(config(Map.of("search.population", "4", "search.elitism", "1",
                    "search.tournament-size", "2", "search.generations", "1", "search.crossover", crossover,
                    "search.crossover-probability", "1", "search.mutation-probability", "0")), BITS, evaluator,
                    parents, s -> { }, null).run();
            List<Candidate> children = evaluator.batches.get(1);
            assertFalse(children.isEmpty(), crossover);
            mostCuts.put(crossover, children.stream().mapToInt(c -> cuts(c.mask())).max().orElseThrow());
        }
        assertTrue(mostCuts.get("single-point") <= 3 && mostCuts.get("uniform") >= 16, mostCuts.toString());
    }

    /** Positions where a mask's bit differs from the one before it. */
    private static int cuts(Mask mask) {
        int cuts = 0;
        for (int i = 1; i < mask.length(); i++) {
            cuts += mask.isKept(i) != mask.isKept(i - 1) ? 1 : 0;
        }
        return cuts;
    }

    @Test
    void aLargerTournamentBreedsFromFitterParents() {
        // No crossover and no mutation: the offspring are copies of the selected parents, keeping their fitness.
        double[] mean = new double[2];
        int[] sizes = {2, 10};
        for (int t = 0; t < sizes.length; t++) {
            SearchResult r = run(config(Map.of("search.population", "30", "search.generations", "1",
                    "search.tournament-size", String.valueOf(sizes[t]), "search.crossover-probability", "0",
                    "search.mutation-probability", "0")), new MatchEvaluator());
            assertEquals(0, r.history().get(1).evaluations(), "copies are never evaluated again");
            mean[t] = r.history().get(1).meanFitness();
            assertTrue(mean[t] > r.history().get(0).meanFitness(), "tournament of " + sizes[t]);
        }
        assertTrue(mean[1] > mean[0], "search.tournament-size reaches the selector: " + mean[0] + ", " + mean[1]);
    }

    @Test
    void theSeed42HistoryIsPinned() {
        // Each generation breeds from its own random stream (derived from the seed and the generation number);
        // every generation drawing from one stream would still be reproducible, but a different search.
        SearchResult r = run(config(Map.of("search.population", "8", "search.generations", "5",
                "search.steady-generations", "0", "search.seed", "42")), new MatchEvaluator());
        // Fitness is matched bits / 64, so the pinned values are exact.
        assertEquals(List.of(37 / 64.0, 38 / 64.0, 43 / 64.0, 44 / 64.0, 44 / 64.0, 45 / 64.0),
                r.history().stream().map(GenerationStats::bestFitness).toList());
        assertEquals("1001000010100010101010110001100100010101100100001111010101101000", r.bestMask().toBitString());
    }

    @Test
    void bestOfBreaksATieForTheEarlierMember() {
        // Documented: ties go to the earlier member, so the best (and its mask) is deterministic.
        Phenotype<BitGene, Double> earlier = Phenotype.of(Genomes.toGenotype(Mask.of(4, i -> i < 2)), 0, 0.5);
        Phenotype<BitGene, Double> later = Phenotype.of(Genomes.toGenotype(Mask.of(4, i -> i >= 2)), 0, 0.5);
        Phenotype<BitGene, Double> worse = Phenotype.of(Genomes.toGenotype(Mask.allKept(4)), 0, 0.1);
        assertSame(earlier, GeneticSearch.bestOf(ISeq.of(worse, earlier, later)));
        assertSame(later, GeneticSearch.bestOf(ISeq.of(later, earlier, worse)));
    }

    static List<String> withoutTime(List<GenerationStats> history) {
        return history.stream().map(s -> s.generation() + ":" + s.bestFitness() + ":" + s.meanFitness() + ":"
                + s.worstFitness() + ":" + s.evaluations() + ":" + s.cacheHits()).toList();
    }
}
