package io.evoprune.farm;

import io.evoprune.evaluation.Candidate;
import io.evoprune.evaluation.DevicePinning;
import io.evoprune.evaluation.EvaluationResult;
import io.evoprune.evaluation.Workload;
import io.evoprune.search.BatchEvaluator;
import io.evoprune.search.GenerationStats;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Evaluates each generation's masks as one Spark job: one task per mask (or per partition), executors read
 * the model and data from a single broadcast, and only masks and small result records cross the wire.
 * In the Spark UI each generation is its own job group ({@code evoprune-generation-N}) whose description gives
 * the best fitness so far, and the counts of {@link EvaluationCounters} appear as named accumulators.
 */
public final class SparkEvaluationFarm implements BatchEvaluator, AutoCloseable {
    private final JavaSparkContext spark;
    private final Broadcast<Workload> workload;
    private final int partitions;
    private final EvaluationFunction function;
    private final int attempts;
    private final EvaluationCounters counters;
    private double bestFitness = Double.NaN;
    private int pendingCacheHits;
    private final long settingsDigest;

    public SparkEvaluationFarm(JavaSparkContext spark, Workload workload, int partitions) {
        this(spark, workload, partitions, EvaluationFunction.MASK_EVALUATOR);
    }

    /** A farm whose tasks run {@code function}: {@link EvaluationFunction#MASK_EVALUATOR} except in fault tests. */
    public SparkEvaluationFarm(JavaSparkContext spark, Workload workload, int partitions, EvaluationFunction function) {
        this(spark, workload, partitions, function, EvaluationCounters.register(spark.sc()));
    }

    private SparkEvaluationFarm(JavaSparkContext spark, Workload workload, int partitions, EvaluationFunction function,
                                EvaluationCounters counters) {
        this.spark = spark;
        this.workload = spark.broadcast(workload);
        this.partitions = partitions;
        this.function = function;
        this.attempts = TaskAttempts.of(spark.getConf());
        this.counters = counters;
        this.settingsDigest = workload.settingsDigest();
    }

    /**
     * A farm for another rung of the same search (racing's short fine-tune): its own broadcast workload, this
     * farm's counters, so the Spark UI shows one set of evoprune accumulators whatever the rungs.
     */
    public SparkEvaluationFarm rung(Workload other) {
        return new SparkEvaluationFarm(spark, other, partitions, function, counters);
    }

    /** The job group of a generation's evaluations in the Spark UI. */
    public static String jobGroup(int generation) {
        return "evoprune-generation-" + generation;
    }

    public EvaluationCounters counters() {
        return counters;
    }

    @Override
    public void cacheHits(int generation, int hits) {
        pendingCacheHits += hits;
    }

    /** Called after each generation: its best fitness goes into the next job's description. */
    public void generationDone(GenerationStats stats) {
        if (Double.isNaN(bestFitness) || stats.bestFitness() > bestFitness) {
            bestFitness = stats.bestFitness();
        }
        // Hits are known only once the generation's evaluations are done: counted here, on the driver.
        counters.cacheHits().add(pendingCacheHits);
        pendingCacheHits = 0;
    }

    @Override
    public long settingsDigest() {
        return settingsDigest;
    }

    @Override
    public List<EvaluationResult> evaluate(int generation, List<Candidate> candidates) {
        int slices = partitions > 0 ? Math.min(partitions, candidates.size()) : candidates.size();
        // Capture the broadcast handle and the accumulators, never this farm.
        Broadcast<Workload> shared = workload;
        EvaluationFunction evaluate = function;
        int tries = attempts;
        EvaluationCounters counted = counters;
        String what = "generation " + generation + ": fine-tune and score " + candidates.size()
                + (candidates.size() == 1 ? " mask" : " masks");
        // Cache hits are counted on the driver, so no stage shows them: the description does.
        spark.setJobGroup(jobGroup(generation), what + " (" + (Double.isNaN(bestFitness) ? "no best fitness yet"
                : String.format(Locale.ROOT, "best fitness so far %.4f, %d mask%s from the cache in earlier generations", bestFitness,
                counters.cacheHits().value(), counters.cacheHits().value() == 1 ? "" : "s")) + ")", false);
        spark.setCallSite(what); // names the job and its stage
        List<EvaluationResult> results;
        try {
            results = new ArrayList<>(spark.parallelize(candidates, slices)
                    .setName("masks of generation " + generation)
                    .map(candidate -> {
                        // The task's GPU from Spark's resource scheduling, if any.
                        DevicePinning.Placement placement = DevicePinning.pinCurrentTask();
                        return counted.count(TaskEvaluation.run(evaluate, shared.value(), candidate, tries), placement);
                    })
                    .setName("fitness of generation " + generation)
                    .collect());
        } finally {
            spark.clearCallSite();
            spark.clearJobGroup();
        }
        results.sort(Comparator.comparingInt(EvaluationResult::index));
        return results;
    }

    @Override
    public void close() {
        workload.destroy();
    }
}
