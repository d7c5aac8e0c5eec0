package io.evoprune.config;

/**
 * Configuration keys: search strategies beyond the penalised-fitness GA (NSGA-II), informed initial populations,
 * racing, and the classic pruners as baselines.
 */
public final class StrategyKeys {
    private StrategyKeys() {
    }

    public static final ConfigKey SEARCH_STRATEGY = new ConfigKey("search.strategy", "genetic",
            "genetic (single objective: the penalised fitness) or nsga2 (NSGA-II over validation accuracy and size;"
                    + " writes the Pareto front to pareto.json and picks one point by pareto.pick).");
    public static final ConfigKey NSGA2_SIZE = new ConfigKey("pareto.size-objective", "parameters",
            "Size objective NSGA-II minimises: parameters (kept parameters) or flops (FLOPs of inference per"
                    + " example: 2 per multiply-add of the dense, output, 2-D convolution and batch-norm layers, counted"
                    + " from layer shapes).");
    public static final ConfigKey NSGA2_PICK = new ConfigKey("pareto.pick", "smallest-within",
            "Which Pareto point is fine-tuned and exported: smallest-within (the smallest network whose validation"
                    + " accuracy is at most pareto.pick-tolerance below the base's; the most accurate if none is) or"
                    + " most-accurate.");
    public static final ConfigKey NSGA2_TOLERANCE = new ConfigKey("pareto.pick-tolerance", "0.01",
            "Accuracy the picked network may lose against the base's validation accuracy (0.01 = 1 point).");
    public static final ConfigKey INIT_FRACTION = new ConfigKey("init.importance-fraction", "0",
            "Share of the initial population seeded from importance criteria instead of random masks; in [0, 1].");
    public static final ConfigKey INIT_CRITERIA = new ConfigKey("init.importance-criteria",
            "magnitude,l1,taylor,activation,apoz,random",
            "Criteria the seeded masks cycle through (comma-separated): magnitude, l1, taylor, activation, apoz,"
                    + " random. Each seeded mask keeps the top units by one criterion, at a kept fraction drawn"
                    + " around search.init-keep-probability (+-0.1): per layer in the first round of criteria,"
                    + " across all layers in the next, and so on alternately; l1 and activation, whose scores do"
                    + " not compare between layers of different sizes, stay per layer in every round.");
    public static final ConfigKey INIT_EXAMPLES = new ConfigKey("init.importance-examples", "1024",
            "Fine-tuning examples the data-driven criteria (taylor, activation, apoz) and greedy pruning run on,"
                    + " in batches of finetune.batch-size: a draw from the fine-tuning split seeded by search.seed"
                    + " (all of it when it is smaller).");
    public static final ConfigKey RACING_SHORT_BATCHES = new ConfigKey("racing.short-batches", "0",
            "Racing: fine-tune every new candidate this many batches first and give the full fine-tune only to the"
                    + " best racing.promote-fraction of them; 0 = off (every candidate gets the full fine-tune).");
    public static final ConfigKey RACING_PROMOTE = new ConfigKey("racing.promote-fraction", "0.5",
            "Racing: share of each generation's new candidates (best short-run fitness first) promoted to the full"
                    + " fine-tune; in (0, 1].");
    public static final ConfigKey BASELINE_REPORT = new ConfigKey("baseline.report", "false",
            "After a search, also run the classic pruners at the chosen mask's kept fraction with the same fine-tune"
                    + " budget and write baselines.md / baselines.json.");
    public static final ConfigKey BASELINE_METHODS = new ConfigKey("baseline.methods",
            "magnitude-global,magnitude-layer,threshold,l1,taylor,random,greedy-layer,iterative,gradual-l1",
            "Classic pruners to run (comma-separated): magnitude-global, magnitude-layer, threshold, l1, taylor,"
                    + " activation, apoz, random, greedy-layer, iterative, gradual-l1.");
    public static final ConfigKey BASELINE_KEEP = new ConfigKey("baseline.kept-fraction", "0",
            "Kept fraction of prunable units the baselines prune to; 0 = the search's chosen mask's (run) or"
                    + " fitness.target-kept-fraction (evoprune baseline), and with fitness.size=parameters or flops"
                    + " each pruner keeps that share of the base's parameters or multiply-adds instead, as near as"
                    + " whole units allow.");
    public static final ConfigKey BASELINE_THRESHOLD_K = new ConfigKey("baseline.threshold-k", "auto",
            "k of the threshold pruner (keep units whose magnitude is at least mean + k * std of their layer);"
                    + " auto = the k whose mask comes closest to the baselines' kept fraction.");
    public static final ConfigKey BASELINE_STEPS = new ConfigKey("baseline.iterative-steps", "4",
            "Prune-and-retrain steps of the iterative pruner; the steps share the fine-tune budget.");
    public static final ConfigKey BASELINE_L1 = new ConfigKey("baseline.l1", "0.0001",
            "L1 penalty on the weights during gradual pruning (gradual-l1).");
}
