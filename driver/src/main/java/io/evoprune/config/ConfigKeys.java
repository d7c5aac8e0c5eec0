package io.evoprune.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Every configuration key, by area. The reference page docs/configuration.md and conf/evoprune.properties
 * are checked against this list by the tests.
 */
public final class ConfigKeys {
    private ConfigKeys() {
    }

    public static final ConfigKey DATA_PATH = new ConfigKey("data.path", "data/fashion-mnist-small",
            "Folder of MNIST-format IDX files (train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], "
                    + "t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]); any Hadoop path (file://, hdfs://, s3a://).");
    public static final ConfigKey DATA_FINETUNE_SIZE = new ConfigKey("data.finetune.size", "0",
            "Examples each candidate is fine-tuned on: the first N training examples; 0 = all before validation.");
    public static final ConfigKey DATA_VALIDATION_SIZE = new ConfigKey("data.validation.size", "2000",
            "Validation examples (drive fitness): the last N training examples, disjoint from fine-tuning data.");
    public static final ConfigKey DATA_TEST_SIZE = new ConfigKey("data.test.size", "0",
            "Test examples (reported, never used for selection): the first N of the test files; 0 = all.");

    public static final ConfigKey MODEL_PATH = new ConfigKey("model.path", "",
            "Trained DL4J MultiLayerNetwork (ModelSerializer zip). Empty = build model.architecture and pretrain it.");
    public static final ConfigKey MODEL_ARCHITECTURE = new ConfigKey("model.architecture", "lenet-300-100",
            "Built-in network used when model.path is empty: lenet-300-100 (784-300-100-10 MLP, ReLU, softmax).");
    public static final ConfigKey MODEL_PRETRAIN_EPOCHS = new ConfigKey("model.pretrain.epochs", "3",
            "Epochs of pretraining for a built-in network, on all training examples before validation.");
    public static final ConfigKey MODEL_PRETRAIN_BATCH = new ConfigKey("model.pretrain.batch-size", "128",
            "Batch size of pretraining.");
    public static final ConfigKey MODEL_PRETRAIN_LR = new ConfigKey("model.pretrain.learning-rate", "0.001",
            "Adam learning rate of pretraining.");

    public static final ConfigKey MASK_GRANULARITY = new ConfigKey("mask.granularity", "neuron",
            "What one bit of the genome prunes: neuron (a hidden unit of a dense layer).");

    public static final ConfigKey SEARCH_POPULATION = new ConfigKey("search.population", "16",
            "Individuals (masks) per generation; at least 2.");
    public static final ConfigKey SEARCH_GENERATIONS = new ConfigKey("search.generations", "5",
            "Generation limit: generations bred after the initial population (generation 0).");
    public static final ConfigKey SEARCH_STEADY = new ConfigKey("search.steady-generations", "0",
            "Stop after this many generations without a better best fitness; 0 = off.");
    public static final ConfigKey SEARCH_TIME_LIMIT = new ConfigKey("search.time-limit-seconds", "0",
            "Wall-clock budget: no generation starts after it is spent; 0 = off. A budget makes results depend on speed.");
    public static final ConfigKey SEARCH_SELECTION = new ConfigKey("search.selection", "tournament",
            "Parent selection: tournament or roulette (fitness-proportionate).");
    public static final ConfigKey SEARCH_TOURNAMENT_SIZE = new ConfigKey("search.tournament-size", "3",
            "Individuals per tournament (tournament selection).");
    public static final ConfigKey SEARCH_CROSSOVER = new ConfigKey("search.crossover", "single-point",
            "Crossover: single-point or uniform.");
    public static final ConfigKey SEARCH_CROSSOVER_P = new ConfigKey("search.crossover-probability", "0.9",
            "Probability that an offspring is produced by crossover.");
    public static final ConfigKey SEARCH_MUTATION_P = new ConfigKey("search.mutation-probability", "auto",
            "Bit-flip probability per bit; auto = 1 / number of bits.");
    public static final ConfigKey SEARCH_ELITISM = new ConfigKey("search.elitism", "2",
            "Best individuals copied unchanged into the next generation (never re-evaluated).");
    public static final ConfigKey SEARCH_INIT_KEEP = new ConfigKey("search.init-keep-probability", "0.5",
            "Probability that a bit of an initial random mask is 1 (keep).");
    public static final ConfigKey SEARCH_SEED = new ConfigKey("search.seed", "42",
            "Run seed; every other seed (initial population, operators, fine-tuning shuffles) derives from it.");

    public static final ConfigKey FINETUNE_EPOCHS = new ConfigKey("finetune.epochs", "1",
            "Epochs each candidate is fine-tuned before scoring.");
    public static final ConfigKey FINETUNE_MAX_BATCHES = new ConfigKey("finetune.max-batches", "0",
            "Stop fine-tuning after this many batches; 0 = no limit (run all epochs).");
    public static final ConfigKey FINETUNE_BATCH = new ConfigKey("finetune.batch-size", "128",
            "Batch size of fine-tuning.");
    public static final ConfigKey FINETUNE_LR = new ConfigKey("finetune.learning-rate", "0.001",
            "Learning rate of fine-tuning (the model's own updater); 0 = keep the model's.");

    public static final ConfigKey FITNESS_TARGET = new ConfigKey("fitness.target-kept-fraction", "0.5",
            "Kept fraction of prunable units above which fitness is penalised; in (0, 1].");
    public static final ConfigKey FITNESS_PENALTY = new ConfigKey("fitness.penalty", "0.5",
            "Fitness = validation accuracy - penalty * max(0, kept fraction - target).");

    public static final ConfigKey EVAL_PARTITIONS = new ConfigKey("evaluation.partitions", "0",
            "Spark partitions per generation's job; 0 = one per candidate (best load balance).");
    public static final ConfigKey EVAL_THREADS = new ConfigKey("evaluation.threads", "1",
            "ND4J/BLAS threads per evaluation; run one evaluation per core (1 measured fastest).");

    public static final ConfigKey OUTPUT_DIR = new ConfigKey("output.dir", "runs",
            "Folder that holds run directories.");
    public static final ConfigKey OUTPUT_RUN_NAME = new ConfigKey("output.run-name", "",
            "Run directory name under output.dir; empty = run-<UTC timestamp>. An existing run is never overwritten.");

    public static List<ConfigKey> all() {
        List<ConfigKey> keys = new ArrayList<>();
        for (var field : ConfigKeys.class.getFields()) {
            if (field.getType() == ConfigKey.class) {
                try {
                    keys.add((ConfigKey) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return keys;
    }

    static String suggestion(String unknown) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (ConfigKey key : all()) {
            int d = distance(unknown, key.name());
            if (d < bestDistance) {
                bestDistance = d;
                best = key.name();
            }
        }
        return bestDistance <= 3 ? " (did you mean '" + best + "'?)" : "";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
