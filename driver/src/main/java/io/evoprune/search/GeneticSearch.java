package io.evoprune.search;

import io.evoprune.config.SearchConfig;
import io.evoprune.evaluation.EvaluationResult;
import io.evoprune.mask.Mask;
import io.evoprune.mask.Seeds;
import io.jenetics.Alterer;
import io.jenetics.BitChromosome;
import io.jenetics.BitGene;
import io.jenetics.EliteSelector;
import io.jenetics.Genotype;
import io.jenetics.Phenotype;
import io.jenetics.RouletteWheelSelector;
import io.jenetics.Selector;
import io.jenetics.SinglePointCrossover;
import io.jenetics.TournamentSelector;
import io.jenetics.UniformCrossover;
import io.jenetics.engine.Engine;
import io.jenetics.engine.EvolutionResult;
import io.jenetics.engine.EvolutionStart;
import io.jenetics.util.Factory;
import io.jenetics.util.ISeq;
import io.jenetics.util.RandomRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

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
    private final List<Mask> seeds;

    public GeneticSearch(SearchConfig config, int bits, BatchEvaluator evaluator, Consumer<GenerationStats> listener) {
        this(config, bits, evaluator, List.of(), listener);
    }

    /** A search whose initial population starts with {@code seeds} (informed masks) and is filled up at random. */
    public GeneticSearch(SearchConfig config, int bits, BatchEvaluator evaluator, List<Mask> seeds,
                         Consumer<GenerationStats> listener) {
        this.config = config;
        this.bits = bits;
        this.evaluator = evaluator;
        this.listener = listener;
        this.seeds = List.copyOf(seeds.subList(0, Math.min(seeds.size(), config.population())));
    }

    public SearchResult run() {
        long started = System.nanoTime();
        CachingEvaluator cache = new CachingEvaluator(evaluator, config.seed());
        Engine<BitGene, Double> engine = engine(cache);
        List<GenerationStats> history = new ArrayList<>();

        // Generation 0: the seeded masks, then random ones with the configured keep probability, in one batch.
        ISeq<Phenotype<BitGene, Double>> population = RandomRegistry.with(random(INIT_STREAM, 0),
                r -> java.util.stream.Stream.concat(seeds.stream().map(Genomes::toGenotype),
                                engine.genotypeFactory().instances().limit(config.population() - seeds.size()))
                        .map(g -> Phenotype.<BitGene, Double>of(g, 0)).collect(ISeq.toISeq()));
        long t = System.nanoTime();
        cache.beginGeneration(0);
        population = engine.eval(population);
        history.add(record(0, population, cache, t));

        Phenotype<BitGene, Double> best = bestOf(population);
        int sinceImprovement = 0;
        String stopReason = "generation limit (" + config.generations() + ")";
        EvolutionStart<BitGene, Double> start = EvolutionStart.of(population, 1);
        for (int generation = 1; generation <= config.generations(); generation++) {
            if (config.timeLimitSeconds() > 0 && seconds(started) >= config.timeLimitSeconds()) {
                stopReason = "time limit (" + config.timeLimitSeconds() + " s)";
                break;
            }
            t = System.nanoTime();
            cache.beginGeneration(generation);
            EvolutionStart<BitGene, Double> from = start;
            // Select, recombine, mutate, evaluate the offspring, keep the elites: one Jenetics step.
            EvolutionResult<BitGene, Double> result = RandomRegistry.with(random(GENERATION_STREAM, generation),
                    r -> engine.evolve(from));
            history.add(record(generation, result.population(), cache, t));

            Phenotype<BitGene, Double> generationBest = bestOf(result.population());
            if (generationBest.fitness() > best.fitness()) {
                best = generationBest;
                sinceImprovement = 0;
            } else {
                sinceImprovement++;
            }
            start = result.toEvolutionStart();
            if (config.steadyGenerations() > 0 && sinceImprovement >= config.steadyGenerations()) {
                stopReason = "no improvement for " + sinceImprovement + " generations";
                break;
            }
        }
        Mask bestMask = Genomes.toMask(best.genotype());
        int evaluations = history.stream().mapToInt(GenerationStats::evaluations).sum();
        int hits = history.stream().mapToInt(GenerationStats::cacheHits).sum();
        return new SearchResult(bestMask, cache.result(bestMask), cache.seedFor(bestMask), history, evaluations,
                hits, stopReason, seconds(started));
    }

    private Engine<BitGene, Double> engine(CachingEvaluator cache) {
        Selector<BitGene, Double> parents = switch (config.selection()) {
            case TOURNAMENT -> new TournamentSelector<>(config.tournamentSize());
            case ROULETTE -> new RouletteWheelSelector<>();
        };
        Alterer<BitGene, Double> crossover = switch (config.crossover()) {
            case SINGLE_POINT -> new SinglePointCrossover<>(config.crossoverProbability());
            case UNIFORM -> new UniformCrossover<>(config.crossoverProbability(), 0.5);
        };
        Factory<Genotype<BitGene>> masks = Genotype.of(BitChromosome.of(bits, config.initialKeepProbability()));
        return new Engine.Builder<>(cache, masks)
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
        double mean = population.stream().mapToDouble(Phenotype::fitness).average().orElse(Double.NaN);
        double worst = population.stream().mapToDouble(Phenotype::fitness).min().orElse(Double.NaN);
        GenerationStats stats = new GenerationStats(generation, best.fitness(), mean, worst, bestResult.accuracy(),
                bestResult.keptFraction(), cache.evaluations(), cache.cacheHits(), cache.failed(), seconds(startNanos));
        listener.accept(stats);
        return stats;
    }

    /** The fittest member; ties go to the earlier member, which keeps the choice deterministic. */
    private static Phenotype<BitGene, Double> bestOf(ISeq<Phenotype<BitGene, Double>> population) {
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

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
