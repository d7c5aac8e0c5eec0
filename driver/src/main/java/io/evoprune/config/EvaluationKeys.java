package io.evoprune.config;

/** Configuration keys: how one candidate is fine-tuned and scored, and how evaluations run on Spark. */
public final class EvaluationKeys {
    private EvaluationKeys() {
    }

    public static final ConfigKey FINETUNE_EPOCHS = new ConfigKey("finetune.epochs", "1",
            "Epochs each candidate is fine-tuned before scoring.");
    public static final ConfigKey FINETUNE_MAX_BATCHES = new ConfigKey("finetune.max-batches", "0",
            "Stop fine-tuning after this many batches; 0 = no limit (run all epochs).");
    public static final ConfigKey FINETUNE_BATCH = new ConfigKey("finetune.batch-size", "128",
            "Batch size of fine-tuning.");
    public static final ConfigKey FINETUNE_LR = new ConfigKey("finetune.learning-rate", "0.001",
            "Learning rate of fine-tuning (the model's own updater); 0 = keep the model's.");
    public static final ConfigKey FINETUNE_NETWORK = new ConfigKey("finetune.network", "auto",
            "Which network a candidate is fine-tuned as during the search: rebuilt (physically smaller, the pruned"
                    + " units removed; neuron and filter masks), masked (full size, pruned weights held at zero), or"
                    + " auto = rebuilt where the mask and model allow it, else masked. Both give the surviving weights"
                    + " the same updates up to float rounding, unless a layer has dropout, weight noise or a gradient"
                    + " normalisation over the layer (auto then picks masked); rebuilt costs fewer FLOPs"
                    + " (docs/benchmarks.md). The exported pruned-model.zip is always the masked form.");
    public static final ConfigKey FITNESS_METRIC = new ConfigKey("fitness.metric", "auto",
            "Validation metric fitness is built on: accuracy, precision, recall, f1 (macro averages), loss, mse, mae or"
                    + " r2 (1 - SSE/SST, averaged over the targets); auto = accuracy for classification, r2 for"
                    + " regression (unit-free like accuracy, so fitness.penalty weighs the same whatever the targets'"
                    + " scale; mse and mae are in the targets' units squared and as they are). Loss-like metrics are"
                    + " negated.");
    public static final ConfigKey FITNESS_SIZE = new ConfigKey("fitness.size", "units",
            "What the kept fraction of the fitness penalty measures, against the dense base: units (kept prunable"
                    + " units / all of them), parameters (kept parameters of the whole network / the base's) or flops"
                    + " (multiply-adds of inference per example / the base's, counted as pareto.size-objective=flops"
                    + " counts them). flops makes the search trade accuracy against inference cost: a filter of an"
                    + " early convolution costs more than one of a later layer.");
    public static final ConfigKey FITNESS_TARGET = new ConfigKey("fitness.target-kept-fraction", "0.5",
            "Kept fraction (by fitness.size) above which fitness is penalised; in (0, 1].");
    public static final ConfigKey FITNESS_PENALTY = new ConfigKey("fitness.penalty", "2",
            "Fitness = validation metric (negated for loss, mse, mae) - penalty * max(0, kept fraction - target). At 2,"
                    + " one point of kept fraction above the target costs two points of accuracy, more than evaluation"
                    + " noise, so the best mask lands at or below the target.");
    public static final ConfigKey EVAL_PARTITIONS = new ConfigKey("evaluation.partitions", "0",
            "Spark partitions per generation's job; 0 = one per candidate (best load balance).");
    public static final ConfigKey EVAL_MAX_FAILED = new ConfigKey("evaluation.max-failed-fraction", "0.5",
            "Stop the run (exit 1, checkpoint kept, resumable) when more than this share of a generation's new "
                    + "evaluations (of at least 4, or the whole population if smaller) fail or diverge; in [0, 1]. Failing evaluations are first retried as Spark's "
                    + "spark.task.maxFailures allows (local[N,F] in local mode), then get the worst fitness.");
    public static final ConfigKey EVAL_THREADS = new ConfigKey("evaluation.threads", "1",
            "ND4J/BLAS threads per evaluation (and of pretraining a built-in base); run one evaluation per "
                    + "core (1 measured fastest). Results depend on it: BLAS sums in another order.");
}
