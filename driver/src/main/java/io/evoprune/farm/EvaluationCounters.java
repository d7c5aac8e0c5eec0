package io.evoprune.farm;

import io.evoprune.evaluation.DevicePinning;
import io.evoprune.evaluation.EvaluationResult;
import java.io.Serializable;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * The run's named accumulators, shown per stage in the Spark UI (and its REST API) under these names. Tasks add
 * to them, so a retried task counts once: Spark drops the updates of failed attempts. Cache hits are known on
 * the driver once a generation is evaluated, and are added there (the accumulator's total, not a stage's).
 * The two GPU counts tell at a glance whether GPUs Spark handed out were used: "assigned a GPU" without "on a
 * GPU" means the application jar is the CPU build.
 */
public record EvaluationCounters(LongAccumulator evaluations, LongAccumulator failed, LongAccumulator cacheHits,
                                 LongAccumulator gpuAssigned, LongAccumulator onGpu) implements Serializable {
    public static final String EVALUATIONS = "evoprune evaluations";
    public static final String FAILED = "evoprune failed evaluations";
    public static final String CACHE_HITS = "evoprune cache hits";
    public static final String GPU_ASSIGNED = "evoprune evaluations assigned a GPU";
    public static final String ON_GPU = "evoprune evaluations on a GPU";

    static EvaluationCounters register(SparkContext spark) {
        return new EvaluationCounters(spark.longAccumulator(EVALUATIONS), spark.longAccumulator(FAILED),
                spark.longAccumulator(CACHE_HITS), spark.longAccumulator(GPU_ASSIGNED), spark.longAccumulator(ON_GPU));
    }

    /**
     * Where the evaluations counted so far ran, in words for the run's summary; null when none ran. Says so when
     * Spark assigned GPUs that the CPU build could not use.
     */
    public String placement() {
        return placement(values());
    }

    /** {@link #placement()} of counters saved by {@link #values()} (a checkpoint's), without a Spark context. */
    public static String placement(Map<String, Long> values) {
        long all = values.getOrDefault(EVALUATIONS, 0L);
        long gpu = values.getOrDefault(ON_GPU, 0L);
        long assigned = values.getOrDefault(GPU_ASSIGNED, 0L);
        if (all == 0) {
            return null;
        }
        String where = gpu == 0 ? "CPU" : gpu == all ? "GPU" : gpu + " of " + all + " on a GPU";
        return assigned > gpu ? where + " (Spark assigned a GPU to " + assigned + " of " + all
                + " evaluations, but the application jar is the CPU build: see docs/gpu.md)" : where;
    }

    /** Every counter's value by its accumulator name, for a checkpoint. */
    public Map<String, Long> values() {
        return Map.of(EVALUATIONS, evaluations.value(), FAILED, failed.value(), CACHE_HITS, cacheHits.value(),
                GPU_ASSIGNED, gpuAssigned.value(), ON_GPU, onGpu.value());
    }

    /** Adds what earlier sessions of a resumed run counted ({@link #values()} of its checkpoint), on the driver. */
    public void addEarlier(Map<String, Long> earlier) {
        evaluations.add(earlier.getOrDefault(EVALUATIONS, 0L));
        failed.add(earlier.getOrDefault(FAILED, 0L));
        cacheHits.add(earlier.getOrDefault(CACHE_HITS, 0L));
        gpuAssigned.add(earlier.getOrDefault(GPU_ASSIGNED, 0L));
        onGpu.add(earlier.getOrDefault(ON_GPU, 0L));
    }

    /** Counts one evaluation done on an executor, where it ran. */
    EvaluationResult count(EvaluationResult result, DevicePinning.Placement placement) {
        evaluations.add(1);
        if (result.failed()) {
            failed.add(1);
        }
        if (placement.assigned() != null) {
            gpuAssigned.add(1);
        }
        if (placement.onGpu()) {
            onGpu.add(1);
        }
        return result;
    }
}
