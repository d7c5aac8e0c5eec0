package io.evoprune.bench;

import io.evoprune.farm.SparkEvaluationFarm;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;

/** Item 6a: the time of one generation (every member new, as in generation 0) as the population grows. */
final class CostGrowth {
    record Generation(int population, double seconds, double evaluationsPerSecond, double secondsPerMember) {
    }

    private CostGrowth() {
    }

    static List<Generation> run(ReferenceSetup setup, JavaSparkContext spark, List<Integer> populations) {
        List<Generation> rows = new ArrayList<>();
        try (SparkEvaluationFarm farm = new SparkEvaluationFarm(spark, setup.workload, setup.config.partitions())) {
            TimedBatch.spark(farm, 0, setup.candidates(2, 6)); // warm-up
            int generation = 1;
            for (int population : populations) {
                TimedBatch batch = TimedBatch.spark(farm, generation++, setup.candidates(population, 100 + population));
                rows.add(new Generation(population, batch.seconds(), batch.evaluationsPerSecond(),
                        batch.seconds() / population));
            }
        }
        return rows;
    }
}
