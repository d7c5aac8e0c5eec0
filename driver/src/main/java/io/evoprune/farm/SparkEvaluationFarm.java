package io.evoprune.farm;

import io.evoprune.evaluation.Candidate;
import io.evoprune.evaluation.EvaluationResult;
import io.evoprune.evaluation.MaskEvaluator;
import io.evoprune.evaluation.Workload;
import io.evoprune.search.BatchEvaluator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Evaluates each generation's masks as one Spark job: one task per mask (or per partition), executors read
 * the model and data from a single broadcast, and only masks and small result records cross the wire.
 */
public final class SparkEvaluationFarm implements BatchEvaluator, AutoCloseable {
    private final JavaSparkContext spark;
    private final Broadcast<Workload> workload;
    private final int partitions;
    private final long settingsDigest;

    public SparkEvaluationFarm(JavaSparkContext spark, Workload workload, int partitions) {
        this.spark = spark;
        this.workload = spark.broadcast(workload);
        this.partitions = partitions;
        this.settingsDigest = workload.settingsDigest();
    }

    @Override
    public long settingsDigest() {
        return settingsDigest;
    }

    @Override
    public List<EvaluationResult> evaluate(int generation, List<Candidate> candidates) {
        int slices = partitions > 0 ? Math.min(partitions, candidates.size()) : candidates.size();
        Broadcast<Workload> shared = workload; // capture the broadcast handle, never this farm
        spark.setJobGroup("evoprune-generation-" + generation,
                "generation " + generation + ": evaluate " + candidates.size() + " masks", false);
        List<EvaluationResult> results = new ArrayList<>(spark.parallelize(candidates, slices)
                .map(candidate -> MaskEvaluator.evaluate(shared.value(), candidate))
                .setName("fitness of generation " + generation)
                .collect());
        spark.clearJobGroup();
        results.sort(Comparator.comparingInt(EvaluationResult::index));
        return results;
    }

    @Override
    public void close() {
        workload.destroy();
    }
}
