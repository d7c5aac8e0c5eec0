package io.evoprune.config;

import static io.evoprune.config.DataKeys.*;
import static io.evoprune.config.EvaluationKeys.*;
import static io.evoprune.config.ModelKeys.*;
import static io.evoprune.config.OutputKeys.*;
import static io.evoprune.config.SearchKeys.*;

import io.evoprune.evaluation.Checks;

/**
 * The genetic search's parameters.
 *
 * @param mutationProbability per-bit flip probability; NaN ({@link #AUTO_MUTATION}) = auto, 1 / genome length
 */
public record SearchConfig(int population, int generations, int steadyGenerations, long timeLimitSeconds,
                           Selection selection, int tournamentSize, Crossover crossover,
                           double crossoverProbability, double mutationProbability, int elitism,
                           double initialKeepProbability, long seed) {
    /** How the record says {@code search.mutation-probability=auto}. */
    public static final double AUTO_MUTATION = Double.NaN;

    public enum Selection { TOURNAMENT, ROULETTE }

    public enum Crossover { SINGLE_POINT, UNIFORM }

    public SearchConfig {
        java.util.Objects.requireNonNull(selection, SEARCH_SELECTION.name() + " must be set");
        java.util.Objects.requireNonNull(crossover, SEARCH_CROSSOVER.name() + " must be set");
        Checks.atLeast(SEARCH_POPULATION.name(), population, 2);
        Checks.atLeast(SEARCH_GENERATIONS.name(), generations, 0);
        Checks.atLeast(SEARCH_STEADY.name(), steadyGenerations, 0);
        Checks.atLeast(SEARCH_TIME_LIMIT.name(), timeLimitSeconds, 0);
        Checks.atLeast(SEARCH_TOURNAMENT_SIZE.name(), tournamentSize, 1);
        Checks.inRange(SEARCH_CROSSOVER_P.name(), crossoverProbability, 0, 1);
        if (!Double.isNaN(mutationProbability)) { // NaN is auto: a NaN written in the file is refused in from()
            Checks.inRange(SEARCH_MUTATION_P.name(), mutationProbability, 0, 1);
        }
        Checks.atLeast(SEARCH_ELITISM.name(), elitism, 0);
        Checks.openClosed(SEARCH_INIT_KEEP.name(), initialKeepProbability, 0, 1);
    }

    /**
     * This configuration, checked against the population as the genetic strategy reads it. Not in the
     * constructor: NSGA-II reads neither the elites nor the tournament size, so they must not refuse its runs.
     */
    public SearchConfig checkedForGenetic() {
        if (selection == Selection.TOURNAMENT) { // of 1 is random selection: Jenetics refuses it
            Checks.atLeast(SEARCH_TOURNAMENT_SIZE.name(), tournamentSize, 2);
        }
        if (selection == Selection.TOURNAMENT && tournamentSize > population) { // roulette never reads it
            throw new IllegalArgumentException(SEARCH_TOURNAMENT_SIZE.name() + " must be at most "
                    + SEARCH_POPULATION.name() + " (" + population + "), but was " + tournamentSize);
        }
        if (elitism >= population) {
            throw new IllegalArgumentException(SEARCH_ELITISM.name() + " must be below " + SEARCH_POPULATION.name()
                    + " (" + population + "), but was " + elitism);
        }
        return this;
    }

    /** The per-bit mutation probability for a genome of {@code bits} bits. */
    public double mutationProbability(int bits) {
        return Double.isNaN(mutationProbability) ? 1.0 / bits : mutationProbability;
    }

    static SearchConfig from(Settings s) {
        SearchConfig config = new SearchConfig(s.integer(SEARCH_POPULATION.name()), s.integer(SEARCH_GENERATIONS.name()),
                s.integer(SEARCH_STEADY.name()), s.longValue(SEARCH_TIME_LIMIT.name()),
                choice(Selection.class, SEARCH_SELECTION.name(), s.string(SEARCH_SELECTION.name())),
                s.integer(SEARCH_TOURNAMENT_SIZE.name()),
                choice(Crossover.class, SEARCH_CROSSOVER.name(), s.string(SEARCH_CROSSOVER.name())),
                s.decimal(SEARCH_CROSSOVER_P.name()),
                s.isAuto(SEARCH_MUTATION_P.name()) ? AUTO_MUTATION : probability(SEARCH_MUTATION_P.name(), s.decimal(SEARCH_MUTATION_P.name())),
                s.integer(SEARCH_ELITISM.name()), s.decimal(SEARCH_INIT_KEEP.name()), s.longValue(SEARCH_SEED.name()));
        StrategyConfig.Strategy strategy = choice(StrategyConfig.Strategy.class, StrategyKeys.SEARCH_STRATEGY.name(),
                s.string(StrategyKeys.SEARCH_STRATEGY.name()));
        return strategy == StrategyConfig.Strategy.GENETIC ? config.checkedForGenetic() : config;
    }

    static <E extends Enum<E>> E choice(Class<E> type, String key, String value) {
        return Checks.choice(type, key, value);
    }

    /** A probability written out (not auto): NaN included, anything outside [0, 1] is refused naming the key. */
    private static double probability(String key, double value) {
        Checks.inRange(key, value, 0, 1);
        return value;
    }
}
