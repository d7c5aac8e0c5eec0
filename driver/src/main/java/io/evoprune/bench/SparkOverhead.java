package io.evoprune.bench;

import io.evoprune.evaluation.Candidate;
import io.evoprune.farm.SparkEvaluationFarm;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Item 4: one generation's evaluations in a plain in-process loop (as many threads as Spark has task slots) and
 * through Spark, in the order loop, Spark, Spark, loop so that a drift of the machine's speed cancels out.
 */
final class SparkOverhead {
    record Result(int evaluations, int slots, double loopSeconds, double sparkSeconds, double overheadPercent,
                  boolean sameScores) {
    }

    private SparkOverhead() {
    }

    static Result run(ReferenceSetup setup, JavaSparkContext spark, int slots) {
        List<Candidate> candidates = setup.candidates(setup.config.search().population(), 4);
        try (SparkEvaluationFarm farm = new SparkEvaluationFarm(spark, setup.workload, setup.config.partitions())) {
            // Warm-up: the broadcast read, ND4J's first calls and the JIT, in both paths.
            List<Candidate> warm = setup.candidates(slots, 5);
            TimedBatch.spark(farm, 0, warm);
            TimedBatch.loop(setup.workload, warm, slots);

            TimedBatch loop1 = TimedBatch.loop(setup.workload, candidates, slots);
            TimedBatch spark1 = TimedBatch.spark(farm, 1, candidates);
            TimedBatch spark2 = TimedBatch.spark(farm, 2, candidates);
            TimedBatch loop2 = TimedBatch.loop(setup.workload, candidates, slots);
            double loop = (loop1.seconds() + loop2.seconds()) / 2;
            double viaSpark = (spark1.seconds() + spark2.seconds()) / 2;
            boolean same = loop1.sameScores(spark1) && loop1.sameScores(spark2) && loop1.sameScores(loop2);
            return new Result(candidates.size(), slots, loop, viaSpark, 100 * (viaSpark - loop) / loop, same);
        }
    }
}
