package io.evoprune.farm;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/** Master URLs are checked as Spark parses them, before any context starts; memory advice for containers. */
class SparkSetupTest {
    @Test
    void sparksOwnFormsPass() {
        for (String master : new String[] {"local", "local[2]", "local[*]", "local[2,3]", "local[*, 4]",
                "local-cluster[2, 1, 1024]", "spark://127.0.0.1:7077", "spark://a:7077,b:7077"}) {
            assertDoesNotThrow(() -> SparkSetup.requireMaster(master), master);
        }
    }

    @Test
    void typosAndMissingPartsAreRefused() {
        // local[0] parses, but Spark refuses zero threads; yarn needs spark-yarn, which the tests do not have.
        for (String master : new String[] {"local[x]", "local[0]", "local[ 2 ]", "local[2", "locl[2]", "spark://host",
                "spark://a:7077,b", "spark:/a:7077", "yarn", ""}) {
            assertThrows(IllegalArgumentException.class, () -> SparkSetup.requireMaster(master), master);
        }
    }

    @Test
    void sparkSettingsSparkCannotReadAreRefusedNamingTheKey() {
        for (String[] bad : new String[][] {{"spark.executor.memory", "lots"}, {"spark.task.maxFailures", "two"},
                {"spark.executor.cores", "1.5"}, {"spark.dynamicAllocation.enabled", "yes please"},
                {"spark.network.timeout", "lots"}, {"spark.ui.port", "abc"}, {"spark.kryoserializer.buffer.max", "big"}}) {
            var e = assertThrows(IllegalArgumentException.class, () -> SparkSetup.requireReadable(
                    new SparkConf(false).setMaster("local[2]").set(bad[0], bad[1])), bad[0]);
            assertTrue(e.getMessage().startsWith("Spark setting " + bad[0] + "=" + bad[1] + " cannot be read: "),
                    e.getMessage());
        }
        assertDoesNotThrow(() -> SparkSetup.requireReadable(new SparkConf(false).setMaster("local[2]")
                .set("spark.executor.memory", "4g").set("spark.task.maxFailures", "4")
                .set("spark.evoprune.search.seed", "7").set("spark.some.plugin.setting", "anything")));
    }

    @Test
    void sparkHadoopSettingsReachTheDriversHadoopConfiguration() {
        // As spark-submit --conf spark.hadoop.fs.defaultFS=... sets them: the driver reads data and writes runs there.
        var hadoop = SparkSetup.hadoopConfiguration(new SparkConf(false)
                .set("spark.hadoop.fs.defaultFS", "hdfs://nn.example:8020")
                .set("spark.hadoop.fs.s3a.endpoint", "http://127.0.0.1:9000").set("spark.executor.memory", "2g"));
        assertEquals("hdfs://nn.example:8020", hadoop.get("fs.defaultFS"));
        assertEquals("http://127.0.0.1:9000", hadoop.get("fs.s3a.endpoint"));
        assertNull(hadoop.get("spark.executor.memory"), "only spark.hadoop.* settings are Hadoop's");
        assertEquals("file:///", SparkSetup.hadoopConfiguration(new SparkConf(false)).get("fs.defaultFS"),
                "without them, Hadoop's own default");
    }

    @Test
    void containerExecutorsWithoutACapGetTheCapToSet() {
        SparkConf conf = new SparkConf(false).setMaster("yarn").set("spark.executor.memory", "4g")
                .set("spark.executor.memoryOverhead", "2g");
        String advice = SparkSetup.nativeMemoryAdvice(conf);
        assertTrue(advice.contains("(16384 MB)") && advice.contains("YARN") && advice.contains("(6144 MB)")
                && advice.contains("Add -Dorg.bytedeco.javacpp.maxphysicalbytes=5120m "), advice);
        // Spark's default overhead, max(384m, 10%), leaves too little room for a cap above the heap
        String small = SparkSetup.nativeMemoryAdvice(new SparkConf(false).setMaster("k8s://https://api:6443"));
        assertTrue(small.contains("Kubernetes") && small.contains("(1408 MB)")
                && small.contains("Raise spark.executor.memoryOverhead to at least 2048m"), small);
    }

    @Test
    void kubernetesOverheadFollowsItsOwnFactorUnlessTheExecutorOneIsSet() {
        SparkConf k8s = new SparkConf(false).setMaster("k8s://https://api:6443").set("spark.executor.memory", "8g")
                .set("spark.kubernetes.memoryOverheadFactor", "0.5");
        assertTrue(SparkSetup.nativeMemoryAdvice(k8s).contains("maxphysicalbytes=11264m "), "8g + 50%, less 1024");
        k8s.set("spark.executor.memoryOverheadFactor", "0.25");
        assertTrue(SparkSetup.nativeMemoryAdvice(k8s).contains("maxphysicalbytes=9216m "), "8g + 25%, less 1024");
        SparkConf yarn = new SparkConf(false).setMaster("yarn").set("spark.executor.memory", "8g")
                .set("spark.kubernetes.memoryOverheadFactor", "0.5");
        assertTrue(SparkSetup.nativeMemoryAdvice(yarn).contains("(9011 MB)"), "YARN: 8g + 10%");
        // Spark's off-heap memory is requested with the container, and the cap counts it as the process's too.
        yarn.set("spark.memory.offHeap.size", "2g");
        assertTrue(SparkSetup.nativeMemoryAdvice(yarn).contains("(9011 MB)"), "off-heap only once enabled");
        yarn.set("spark.memory.offHeap.enabled", "true").set("spark.executor.memoryOverhead", "3g");
        String advice = SparkSetup.nativeMemoryAdvice(yarn);
        assertTrue(advice.contains("memoryOverhead + spark.memory.offHeap.size (13312 MB)")
                && advice.contains("maxphysicalbytes=12288m "), advice);
    }

    @Test
    void aCapInEitherOptionOrNoContainerMeansNoAdvice() {
        assertNull(SparkSetup.nativeMemoryAdvice(new SparkConf(false).setMaster("yarn")
                .set("spark.executor.extraJavaOptions", "-Dx=1 -Dorg.bytedeco.javacpp.maxPhysicalBytes=5g")));
        assertNull(SparkSetup.nativeMemoryAdvice(new SparkConf(false).setMaster("yarn")
                .set("spark.executor.defaultJavaOptions", "-Dorg.bytedeco.javacpp.maxphysicalbytes=5g")));
        assertNull(SparkSetup.nativeMemoryAdvice(new SparkConf(false).setMaster("spark://127.0.0.1:7077")));
        assertNull(SparkSetup.nativeMemoryAdvice(new SparkConf(false).setMaster("local[2]")));
    }
}
