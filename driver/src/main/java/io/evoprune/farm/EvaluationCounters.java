package io.evoprune.farm;

import io.evoprune.evaluation.EvaluationResult;
import java.io.Serializable;
import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * The run's named accumulators, shown per stage in the Spark UI (and its REST API) under these names. Tasks add
 * to them, so a retried task counts once: Spark drops the updates of failed attempts. Cache hits are known on
 * the driver; a generation's job carries them into one task so the UI shows them on that generation's stage.
 */
public record EvaluationCounters(LongAccumulator evaluations, LongAccumulator failed, LongAccumulator cacheHits)
        implements Serializable {
    public static final String EVALUATIONS = "evoprune evaluations";
    public static final String FAILED = "evoprune failed evaluations";
    public static final String CACHE_HITS = "evoprune cache hits";

    static EvaluationCounters register(SparkContext spark) {
        return new EvaluationCounters(spark.longAccumulator(EVALUATIONS), spark.longAccumulator(FAILED),
                spark.longAccumulator(CACHE_HITS));
    }

    /** Counts one evaluation done on an executor. */
    EvaluationResult count(EvaluationResult result) {
        evaluations.add(1);
        if (result.failed()) {
            failed.add(1);
        }
        return result;
    }
}
