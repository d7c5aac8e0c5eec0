package io.evoprune.search;

import io.evoprune.config.SearchConfig;
import io.evoprune.evaluation.EvaluationResult;
import io.evoprune.evaluation.Fitness;
import io.evoprune.mask.Mask;
import io.evoprune.mask.MaskRepair;
import io.evoprune.mask.Seeds;
import io.jenetics.BitGene;
import io.jenetics.Phenotype;
import io.jenetics.util.ISeq;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * NSGA-II (Deb et al. 2002) over masks: maximise validation accuracy, minimise size. Each generation breeds
 * as many children as the population holds (binary tournaments on front rank, then crowding distance;
 * crossover and bit-flip mutation as configured for the GA), evaluates the new masks in one batch through the
 * same cache as the GA, and keeps the best of parents and children by rank and crowding. The result is the
 * Pareto front of every mask evaluated in the run, plus the point {@link PickRule} chooses.
 */
public final class Nsga2Search {
    private static final long INIT_STREAM = 2;
    private static final long GENERATION_STREAM = 5;

    /** The search's outcome: its summary (the chosen point as "best"), the whole front and the chosen point. */
    public record Outcome(SearchResult result, List<ParetoPoint> front, ParetoPoint chosen) {
    }

    private final SearchConfig config;
    private final int bits;
    private final BatchEvaluator evaluator;
    private final SizeMeasure size;
    private final List<Mask> seeds;
    private final Consumer<GenerationStats> listener;
    private final MaskRepair repair;
    private final Map<Mask, ParetoPoint> archive = new LinkedHashMap<>();
    /** Nanoseconds, for the time limit and the timings: System::nanoTime, or a test's clock. */
    private final LongSupplier nanos;

    /** A search whose every mask, seeded, random or bred, satisfies {@code repair} (null = no per-layer minimum). */
    public Nsga2Search(SearchConfig config, int bits, BatchEvaluator evaluator, SizeMeasure size, List<Mask> seeds,
                       Consumer<GenerationStats> listener, MaskRepair repair) {
        this(config, bits, evaluator, size, seeds, listener, repair, System::nanoTime);
    }

    Nsga2Search(SearchConfig config, int bits, BatchEvaluator evaluator, SizeMeasure size, List<Mask> seeds,
                Consumer<GenerationStats> listener, MaskRepair repair, LongSupplier nanos) {
        this.nanos = nanos;
        this.repair = repair;
        this.config = config;
        this.bits = bits;
        this.evaluator = evaluator;
        this.size = size;
        this.seeds = List.copyOf(seeds);
        this.listener = listener;
    }

    public Outcome run(PickRule pick, double baseAccuracy) {
        long started = nanos.getAsLong();
        // No elites in Jenetics' sense (survivors are chosen after evaluation) and no resume: nothing known yet.
        CachingEvaluator cache = new CachingEvaluator(evaluator, config.seed(), 0, Map.of());
        List<GenerationStats> history = new ArrayList<>();

        // Generation 0: the seeded masks, then random ones with the configured keep probability.
        SplittableRandom init = new SplittableRandom(Seeds.derive(config.seed(), INIT_STREAM, 0));
        List<Mask> population = new ArrayList<>(seeds.subList(0, Math.min(seeds.size(), config.population())));
        while (population.size() < config.population()) {
            population.add(Mask.of(bits, i -> init.nextDouble() < config.initialKeepProbability()));
        }
        population.replaceAll(this::repaired);
        long t = nanos.getAsLong();
        cache.beginGeneration(0);
        List<ParetoPoint> parents = evaluate(population, cache, 0);
        history.add(record(0, parents, cache, t));

        String stopReason = "generation limit (" + config.generations() + ")";
        for (int generation = 1; generation <= config.generations(); generation++) {
            if (config.timeLimitSeconds() > 0 && seconds(started) >= config.timeLimitSeconds()) {
                stopReason = "time limit (" + config.timeLimitSeconds() + " s)";
                break;
            }
            t = nanos.getAsLong();
            cache.beginGeneration(generation);
            SplittableRandom random = new SplittableRandom(Seeds.derive(config.seed(), GENERATION_STREAM, generation));
            // Select parents by rank and crowding, breed children, evaluate them, keep the best of both.
            List<Mask> children = breed(parents, random);
            List<ParetoPoint> offspring = evaluate(children, cache, generation);
            parents = survivors(parents, offspring, config.population());
            history.add(record(generation, parents, cache, t));
        }

        List<ParetoPoint> front = front(new ArrayList<>(archive.values()));
        ParetoPoint chosen = pick.choose(front, baseAccuracy);
        int evaluations = history.stream().mapToInt(GenerationStats::evaluations).sum();
        int hits = history.stream().mapToInt(GenerationStats::cacheHits).sum();
        SearchResult result = new SearchResult(chosen.mask(), chosen.result(), cache.seedFor(chosen.mask()), history,
                evaluations, hits, stopReason, seconds(started));
        return new Outcome(result, front, chosen);
    }

    private Mask repaired(Mask mask) {
        return repair == null ? mask : repair.repair(mask);
    }

    /** The non-dominated points, smallest first; one point per mask; failed evaluations only if nothing else. */
    static List<ParetoPoint> front(List<ParetoPoint> all) {
        List<ParetoPoint> evaluated = all.stream().filter(p -> !p.result().failed()).toList();
        List<ParetoPoint> points = evaluated.isEmpty() ? all : evaluated;
        double[][] objectives = points.stream().map(ParetoPoint::objectives).toArray(double[][]::new);
        int[] rank = Pareto.ranks(objectives);
        List<ParetoPoint> front = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            if (rank[i] == 0) {
                front.add(points.get(i));
            }
        }
        front.sort(java.util.Comparator.comparingDouble(ParetoPoint::size)
                .thenComparingDouble(p -> -p.result().accuracy()));
        return front;
    }

    private List<Mask> breed(List<ParetoPoint> parents, SplittableRandom random) {
        double[][] objectives = parents.stream().map(ParetoPoint::objectives).toArray(double[][]::new);
        int[] rank = Pareto.ranks(objectives);
        double[] crowd = new double[parents.size()];
        for (int level = 0; ; level++) {
            int l = level;
            int[] members = java.util.stream.IntStream.range(0, rank.length).filter(i -> rank[i] == l).toArray();
            if (members.length == 0) {
                break;
            }
            double[] d = Pareto.crowding(objectives, members);
            for (int i = 0; i < members.length; i++) {
                crowd[members[i]] = d[i];
            }
        }
        double mutation = config.mutationProbability(bits);
        List<Mask> children = new ArrayList<>();
        while (children.size() < config.population()) {
            Mask a = parents.get(tournament(rank, crowd, random)).mask();
            Mask b = parents.get(tournament(rank, crowd, random)).mask();
            Mask child = random.nextDouble() < config.crossoverProbability() ? crossover(a, b, random) : a;
            children.add(repaired(mutate(child, mutation, random)));
        }
        return children;
    }

    /** Binary tournament between two points drawn with replacement. */
    private static int tournament(int[] rank, double[] crowd, SplittableRandom random) {
        int a = random.nextInt(rank.length);
        int b = random.nextInt(rank.length);
        return winner(a, b, rank, crowd);
    }

    /** The crowded-comparison winner of {@code a} and {@code b}: lower rank, then larger crowding distance, then a. */
    static int winner(int a, int b, int[] rank, double[] crowd) {
        return rank[b] < rank[a] || rank[b] == rank[a] && crowd[b] > crowd[a] ? b : a;
    }

    private Mask crossover(Mask a, Mask b, SplittableRandom random) {
        return switch (config.crossover()) {
            case SINGLE_POINT -> {
                int cut = 1 + random.nextInt(bits - 1 > 0 ? bits - 1 : 1);
                yield Mask.of(bits, i -> i < cut ? a.isKept(i) : b.isKept(i));
            }
            case UNIFORM -> {
                boolean[] fromA = new boolean[bits];
                for (int i = 0; i < bits; i++) {
                    fromA[i] = random.nextBoolean();
                }
                yield Mask.of(bits, i -> fromA[i] ? a.isKept(i) : b.isKept(i));
            }
        };
    }

    private Mask mutate(Mask mask, double p, SplittableRandom random) {
        boolean[] flip = new boolean[bits];
        for (int i = 0; i < bits; i++) {
            flip[i] = random.nextDouble() < p;
        }
        return Mask.of(bits, i -> mask.isKept(i) != flip[i]);
    }

    /** Parents and offspring together, one entry per distinct mask, cut to {@code population} by NSGA-II. */
    static List<ParetoPoint> survivors(List<ParetoPoint> parents, List<ParetoPoint> offspring, int population) {
        Map<Mask, ParetoPoint> distinct = new LinkedHashMap<>();
        parents.forEach(p -> distinct.putIfAbsent(p.mask(), p));
        offspring.forEach(p -> distinct.putIfAbsent(p.mask(), p));
        List<ParetoPoint> pool = new ArrayList<>(distinct.values());
        double[][] objectives = pool.stream().map(ParetoPoint::objectives).toArray(double[][]::new);
        List<ParetoPoint> next = new ArrayList<>();
        for (int i : Pareto.select(objectives, population)) {
            next.add(pool.get(i));
        }
        // Fewer distinct masks than places (a converged population): fill up with parents again.
        for (int i = 0; next.size() < population; i++) {
            next.add(parents.get(i % parents.size()));
        }
        return next;
    }

    private List<ParetoPoint> evaluate(List<Mask> masks, CachingEvaluator cache, int generation) {
        ISeq<Phenotype<BitGene, Double>> phenotypes = masks.stream()
                .map(m -> Phenotype.<BitGene, Double>of(Genomes.toGenotype(m), generation))
                .collect(ISeq.toISeq());
        cache.eval(phenotypes);
        List<ParetoPoint> points = new ArrayList<>();
        for (Mask m : masks) {
            points.add(archive.computeIfAbsent(m, mask -> {
                EvaluationResult r = cache.result(mask);
                return new ParetoPoint(mask, r, size.size(mask, r), size.flops(mask));
            }));
        }
        return points;
    }

    private GenerationStats record(int generation, List<ParetoPoint> population, CachingEvaluator cache,
                                   long startNanos) {
        ParetoPoint best = population.get(0);
        double sum = 0;
        int evaluated = 0;
        double worst = Double.POSITIVE_INFINITY;
        for (ParetoPoint p : population) {
            double f = p.result().fitness();
            if (f > best.result().fitness()) {
                best = p;
            }
            if (f > Fitness.WORST) { // the mean of those that evaluated, as in GeneticSearch
                sum += f;
                evaluated++;
            }
            worst = Math.min(worst, f);
        }
        GenerationStats stats = new GenerationStats(generation, best.result().fitness(),
                evaluated > 0 ? sum / evaluated : Fitness.WORST,
                worst, best.result().accuracy(), best.result().keptFraction(),
                best.result().sizeFraction(), cache.evaluations(), cache.cacheHits(),
                cache.failed(), seconds(startNanos));
        evaluator.cacheHits(generation, stats.cacheHits());
        listener.accept(stats);
        return stats;
    }

    private double seconds(long startNanos) {
        return (nanos.getAsLong() - startNanos) / 1e9;
    }
}
