package io.evoprune.search;

import io.evoprune.config.SearchConfig;
import io.evoprune.evaluation.EvaluationResult;
import io.evoprune.evaluation.Fitness;
import io.evoprune.mask.Mask;
import io.evoprune.mask.MaskRepair;
import io.evoprune.mask.Seeds;
import io.jenetics.Alterer;
import io.jenetics.BitChromosome;
import io.jenetics.BitGene;
import io.jenetics.EliteSelector;
import io.jenetics.Genotype;
import io.jenetics.Phenotype;
import io.jenetics.Selector;
import io.jenetics.SinglePointCrossover;
import io.jenetics.TournamentSelector;
import io.jenetics.UniformCrossover;
import io.jenetics.engine.Constraint;
import io.jenetics.engine.Engine;
import io.jenetics.engine.EvolutionResult;
import io.jenetics.engine.EvolutionStart;
import io.jenetics.util.Factory;
import io.jenetics.util.ISeq;
import io.jenetics.util.RandomRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * The genetic search over pruning masks, on Jenetics' engine. Generation 0 is the random initial population;
 * each later generation selects parents, recombines and mutates them, evaluates the new masks in one batch,
 * and keeps the elites. Each generation draws its randomness from its own stream derived from the run seed,
 * so a run is reproducible and can be resumed at any generation boundary.
 */
public final class GeneticSearch {
    private static final long INIT_STREAM = 2;
    private static final long GENERATION_STREAM = 3;

    private final SearchConfig config;
    private final int bits;
    private final BatchEvaluator evaluator;
    private final Consumer<GenerationStats> listener;
    private final MaskRepair repair;
    private final List<Mask> seeds;
    /** Nanoseconds, for the time limit and the timings: System::nanoTime, or a test's clock. */
    private final LongSupplier nanos;

    /** A search whose masks all satisfy {@code repair} (null = no per-layer minimum). */
    public GeneticSearch(SearchConfig config, int bits, BatchEvaluator evaluator, Consumer<GenerationStats> listener,
                         MaskRepair repair) {
        this(config, bits, evaluator, List.of(), listener, repair);
    }

    /**
     * A search whose initial population starts with {@code seeds} (informed masks, repaired like any other) and is
     * filled up with random masks; every mask satisfies {@code repair} (null = no per-layer minimum).
     */
    public GeneticSearch(SearchConfig config, int bits, BatchEvaluator evaluator, List<Mask> seeds,
                         Consumer<GenerationStats> listener, MaskRepair repair) {
        this(config, bits, evaluator, seeds, listener, repair, System::nanoTime);
    }

    GeneticSearch(SearchConfig config, int bits, BatchEvaluator evaluator, List<Mask> seeds,
                  Consumer<GenerationStats> listener, MaskRepair repair, LongSupplier nanos) {
        this.nanos = nanos;
        this.config = config.checkedForGenetic();
        this.bits = bits;
        this.evaluator = evaluator;
        this.listener = listener;
        this.repair = repair;
        List<Mask> kept = new ArrayList<>();
        for (Mask seed : seeds.subList(0, Math.min(seeds.size(), config.population()))) {
            if (seed.length() != bits) {
                throw new IllegalArgumentException("A seed mask has " + seed.length() + " bits, but the genome has " + bits);
            }
            kept.add(repair == null ? seed : repair.repair(seed));
        }
        this.seeds = List.copyOf(kept);
    }

    public SearchResult run() {
        return run(null, state -> { });
    }

    /**
     * Runs the search from the start ({@code from} null) or continues it after {@code from}'s generation, handing
     * the state after every generation to {@code checkpoint}. A continued search makes exactly the choices an
     * uninterrupted one makes: same selections, offspring, evaluations and result.
     */
    public SearchResult run(SearchState from, Consumer<SearchState> checkpoint) {
        long started = nanos.getAsLong() - (from == null ? 0 : Math.round(from.seconds() * 1e9));
        CachingEvaluator cache = new CachingEvaluator(evaluator, config.seed(), config.elitism(), from == null ? Map.of() : from.evaluated());
        Engine<BitGene, Double> engine = engine(cache);
        List<GenerationStats> history = new ArrayList<>();
        ISeq<Phenotype<BitGene, Double>> population;
        Phenotype<BitGene, Double> best;
        int sinceImprovement;
        int generation;
        // The time limit is judged on the seconds each state saves (not counting its checkpoint's write, which the
        // next generation's count includes), so that a search resumed from its last state stops where it stopped.
        double elapsed;
        if (from == null) {
            // Generation 0: the seeded masks, then random ones with the configured keep probability, in one batch.
            population = RandomRegistry.with(random(INIT_STREAM, 0),
                    r -> Stream.concat(seeds.stream().map(this::genotype),
                                    engine.genotypeFactory().instances().limit(config.population() - seeds.size()))
                            .map(g -> Phenotype.<BitGene, Double>of(g, 0)).collect(ISeq.toISeq()));
            long t = nanos.getAsLong();
            cache.beginGeneration(0);
            population = engine.eval(population);
            history.add(record(0, population, cache, t));
            best = bestOf(population);
            sinceImprovement = 0;
            generation = 0;
            SearchState first = state(0, population, cache, best, 0, history, started);
            elapsed = first.seconds();
            checkpoint.accept(first);
        } else {
            population = from.population().stream()
                    .map(m -> Phenotype.of(genotype(m.mask()), m.born(), m.fitness()))
                    .collect(ISeq.toISeq());
            history.addAll(from.history());
            best = Phenotype.of(genotype(from.bestMask()), 0, from.bestFitness());
            sinceImprovement = from.sinceImprovement();
            generation = from.generation();
            elapsed = from.seconds();
        }

        EvolutionStart<BitGene, Double> start = EvolutionStart.of(population, generation + 1);
        String stopReason;
        while ((stopReason = stopReason(config, generation, sinceImprovement, elapsed)) == null) {
            generation++;
            long t = nanos.getAsLong();
            cache.beginGeneration(generation);
            EvolutionStart<BitGene, Double> at = start;
            // Select, recombine, mutate, evaluate the offspring, keep the elites: one Jenetics step.
            EvolutionResult<BitGene, Double> result = RandomRegistry.with(random(GENERATION_STREAM, generation),
                    r -> engine.evolve(at));
            history.add(record(generation, result.population(), cache, t));

            Phenotype<BitGene, Double> generationBest = bestOf(result.population());
            if (generationBest.fitness() > best.fitness()) {
                best = generationBest;
                sinceImprovement = 0;
            } else {
                sinceImprovement++;
            }
            // next(), not toEvolutionStart(): the latter keeps the generation number, so offspring would all be
            // "born" in generation 1; next() numbers them as a resumed search does.
            start = result.next();
            SearchState state = state(generation, result.population(), cache, best, sinceImprovement, history, started);
            elapsed = state.seconds();
            checkpoint.accept(state);
        }
        Mask bestMask = Genomes.toMask(best.genotype());
        int evaluations = history.stream().mapToInt(GenerationStats::evaluations).sum();
        int hits = history.stream().mapToInt(GenerationStats::cacheHits).sum();
        return new SearchResult(bestMask, cache.result(bestMask), cache.seedFor(bestMask), history, evaluations,
                hits, stopReason, seconds(started));
    }

    /**
     * Why a search continued from {@code state} would stop before breeding another generation (its stop rule was
     * met when the state was saved), or null if it would go on: such a continuation evaluates nothing.
     */
    public static String finished(SearchConfig config, SearchState state) {
        return stopReason(config, state.generation(), state.sinceImprovement(), state.seconds());
    }

    /** Why the search stops after {@code generation}, {@code seconds} into it, or null to breed another generation. */
    private static String stopReason(SearchConfig config, int generation, int sinceImprovement, double seconds) {
        if (config.steadyGenerations() > 0 && sinceImprovement >= config.steadyGenerations()) {
            return "no improvement for " + sinceImprovement + " generation" + (sinceImprovement == 1 ? "" : "s");
        }
        if (generation >= config.generations()) {
            return "generation limit (" + config.generations() + ")";
        }
        if (config.timeLimitSeconds() > 0 && seconds >= config.timeLimitSeconds()) {
            return "time limit (" + config.timeLimitSeconds() + " s)";
        }
        return null;
    }

    private SearchState state(int generation, ISeq<Phenotype<BitGene, Double>> population, CachingEvaluator cache,
                              Phenotype<BitGene, Double> best, int sinceImprovement, List<GenerationStats> history,
                              long started) {
        List<SearchState.Member> members = population.stream()
                .map(p -> new SearchState.Member(Genomes.toMask(p.genotype()), p.generation(), p.fitness()))
                .toList();
        return new SearchState(generation, members, cache.results(), Genomes.toMask(best.genotype()), best.fitness(),
                sinceImprovement, history, seconds(started), cache.settingsDigest(), Map.of());
    }

    /** A restored genotype, identical to the engine's own (same keep probability as the genotype factory's). */
    private Genotype<BitGene> genotype(Mask mask) {
        if (mask.length() != bits) {
            throw new IllegalArgumentException("A saved mask has " + mask.length() + " bits, but the genome has " + bits);
        }
        return Genotype.of(BitChromosome.of(mask.toBitSet(), bits, config.initialKeepProbability()));
    }

    private Engine<BitGene, Double> engine(CachingEvaluator cache) {
        Selector<BitGene, Double> parents = switch (config.selection()) {
            case TOURNAMENT -> new TournamentSelector<>(config.tournamentSize());
            case ROULETTE -> new RouletteSelector();
        };
        Alterer<BitGene, Double> crossover = switch (config.crossover()) {
            case SINGLE_POINT -> new SinglePointCrossover<>(config.crossoverProbability());
            case UNIFORM -> new UniformCrossover<>(config.crossoverProbability(), 0.5);
        };
        Factory<Genotype<BitGene>> masks = Genotype.of(BitChromosome.of(bits, config.initialKeepProbability()));
        Engine.Builder<BitGene, Double> builder = new Engine.Builder<>(cache, masks);
        if (repair != null) {
            // Masks that would empty a layer are repaired, in the initial population and after every alteration.
            Constraint<BitGene, Double> constraint = new MaskConstraint(repair);
            builder = new Engine.Builder<>(cache, constraint.constrain(masks)).constraint(constraint);
        }
        return builder
                .populationSize(config.population())
                .offspringSize(config.population() - config.elitism())
                .offspringSelector(parents)
                .survivorsSelector(new EliteSelector<>(Math.max(1, config.elitism())))
                .alterers(crossover, new BitFlipMutator<>(config.mutationProbability(bits)))
                .maximalPhenotypeAge(Long.MAX_VALUE)
                .executor(Runnable::run) // one thread: selection and alteration use the generation's random stream
                .maximizing()
                .build();
    }

    private GenerationStats record(int generation, ISeq<Phenotype<BitGene, Double>> population,
                                   CachingEvaluator cache, long startNanos) {
        Phenotype<BitGene, Double> best = bestOf(population);
        EvaluationResult bestResult = cache.result(Genomes.toMask(best.genotype()));
        // The mean of those that evaluated: one failure (Fitness.WORST) would put it near -1e9 / population.
        double mean = population.stream().mapToDouble(Phenotype::fitness).filter(f -> f > Fitness.WORST).average()
                .orElse(Fitness.WORST);
        double worst = population.stream().mapToDouble(Phenotype::fitness).min().orElse(Double.NaN);
        GenerationStats stats = new GenerationStats(generation, best.fitness(), mean, worst, bestResult.accuracy(),
                bestResult.keptFraction(), bestResult.sizeFraction(), cache.evaluations(), cache.cacheHits(), cache.failed(), seconds(startNanos));
        evaluator.cacheHits(generation, stats.cacheHits());
        listener.accept(stats);
        return stats;
    }

    /** The fittest member; ties go to the earlier member, which keeps the choice deterministic. */
    static Phenotype<BitGene, Double> bestOf(ISeq<Phenotype<BitGene, Double>> population) {
        Phenotype<BitGene, Double> best = population.get(0);
        for (Phenotype<BitGene, Double> p : population) {
            if (p.fitness() > best.fitness()) {
                best = p;
            }
        }
        return best;
    }

    private SplittableRandom random(long stream, long generation) {
        return new SplittableRandom(Seeds.derive(config.seed(), stream, generation));
    }

    private double seconds(long startNanos) {
        return (nanos.getAsLong() - startNanos) / 1e9;
    }
}
