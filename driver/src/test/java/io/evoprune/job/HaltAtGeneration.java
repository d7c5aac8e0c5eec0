package io.evoprune.job;

import io.evoprune.farm.SparkEvaluationFarm;
import org.apache.spark.TaskContext;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.SparkPlugin;

/**
 * Kills the JVM as SIGKILL would (no shutdown hooks, exit status 137) as the first task of generation 2 starts.
 * In local mode tasks run in the driver's JVM, so a driver started with
 * {@code -Dspark.plugins=io.evoprune.job.HaltAtGeneration} always dies at the same point: generation 1 is
 * checkpointed, generation 2 is not, whatever the machine's load.
 */
public final class HaltAtGeneration implements SparkPlugin {
    public static final int GENERATION = 2;
    public static final int EXIT_STATUS = 137;

    @Override
    public DriverPlugin driverPlugin() {
        return null;
    }

    @Override
    public ExecutorPlugin executorPlugin() {
        return new ExecutorPlugin() {
            @Override
            public void onTaskStart() {
                if (startsGeneration()) {
                    Runtime.getRuntime().halt(EXIT_STATUS);
                }
            }
        };
    }

    /** Whether the task now starting belongs to generation {@link #GENERATION}. */
    static boolean startsGeneration() {
        // Runs in the task's thread, which sees the job group the farm sets ("spark.jobGroup.id").
        String group = TaskContext.get().getLocalProperty("spark.jobGroup.id");
        return SparkEvaluationFarm.jobGroup(GENERATION).equals(group);
    }
}
