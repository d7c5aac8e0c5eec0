package io.evoprune.config;

/** Configuration keys: the genetic search. */
public final class SearchKeys {
    private SearchKeys() {
    }

    public static final ConfigKey SEARCH_POPULATION = new ConfigKey("search.population", "16",
            "Individuals (masks) per generation; at least 2. The genetic strategy also needs it above search.elitism "
                    + "and, with tournament selection, at least search.tournament-size (NSGA-II reads neither).");
    public static final ConfigKey SEARCH_GENERATIONS = new ConfigKey("search.generations", "5",
            "Generation limit: generations bred after the initial population (generation 0).");
    public static final ConfigKey SEARCH_STEADY = new ConfigKey("search.steady-generations", "0",
            "Stop after this many generations without a better best fitness; 0 = off.");
    public static final ConfigKey SEARCH_TIME_LIMIT = new ConfigKey("search.time-limit-seconds", "0",
            "Wall-clock budget: no generation starts after it is spent; 0 = off. A budget makes results depend on speed.");
    public static final ConfigKey SEARCH_SELECTION = new ConfigKey("search.selection", "tournament",
            "Parent selection: tournament or roulette (fitness-proportionate).");
    public static final ConfigKey SEARCH_TOURNAMENT_SIZE = new ConfigKey("search.tournament-size", "3",
            "Individuals per tournament (tournament selection, which needs at least 2).");
    public static final ConfigKey SEARCH_CROSSOVER = new ConfigKey("search.crossover", "single-point",
            "Crossover: single-point or uniform.");
    public static final ConfigKey SEARCH_CROSSOVER_P = new ConfigKey("search.crossover-probability", "0.9",
            "Crossover rate. Genetic: each offspring is picked with this probability as the first parent of a"
                    + " crossover with a random partner, and both are replaced by their children (Jenetics'"
                    + " Recombinator), so more than this share change, and none when only one offspring is bred."
                    + " NSGA-II: each child is crossed with this probability.");
    public static final ConfigKey SEARCH_MUTATION_P = new ConfigKey("search.mutation-probability", "auto",
            "Bit-flip probability per bit; auto = 1 / number of bits.");
    public static final ConfigKey SEARCH_ELITISM = new ConfigKey("search.elitism", "2",
            "Best individuals copied unchanged into the next generation (never re-evaluated).");
    public static final ConfigKey SEARCH_INIT_KEEP = new ConfigKey("search.init-keep-probability", "0.5",
            "Probability that a bit of an initial random mask is 1 (keep).");
    public static final ConfigKey SEARCH_SEED = new ConfigKey("search.seed", "42",
            "Run seed; every other seed (initial population, operators, fine-tuning shuffles) derives from it.");
}
