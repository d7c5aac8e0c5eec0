package io.evoprune.farm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/** The attempts a task gets are the ones Spark's scheduler gives it, master by master. */
class TaskAttemptsTest {

    @Test
    void localMastersTryOnceUnlessTheyNameFailures() {
        assertEquals(1, attempts("local"));
        assertEquals(1, attempts("local[2]"));
        assertEquals(1, attempts("local[*]"));
        assertEquals(3, attempts("local[2,3]"));
        assertEquals(2, attempts("local[*, 2]"));
    }

    @Test
    void clusterMastersUseSparkTaskMaxFailures() {
        assertEquals(4, attempts("spark://127.0.0.1:7077"));
        assertEquals(4, attempts("local-cluster[2,1,1024]"));
        assertEquals(7, TaskAttempts.of(new SparkConf(false).setMaster("yarn").set("spark.task.maxFailures", "7")));
    }

    private static int attempts(String master) {
        return TaskAttempts.of(new SparkConf(false).setMaster(master));
    }
}
