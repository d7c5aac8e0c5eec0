package io.evoprune.farm;

import java.util.Map;
import org.apache.spark.SparkConf;

/** The Spark settings evoprune relies on, applied to whatever the user or spark-submit already set. */
public final class SparkSetup {
    public static final String DEFAULT_MASTER = "local[*]";
    /** Prefix under which the effective evoprune settings appear in the Spark UI's Environment tab. */
    public static final String PREFIX = "spark.evoprune.";

    private SparkSetup() {
    }

    public static SparkConf configure(SparkConf conf, Map<String, String> settings, int threads) {
        conf.setIfMissing("spark.master", DEFAULT_MASTER);
        conf.setIfMissing("spark.app.name", "evoprune");
        conf.set("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
        conf.set("spark.kryo.registrator", KryoRegistration.class.getName());
        conf.set("spark.kryo.registrationRequired", "true");
        // One native thread per evaluation; Spark runs one evaluation per core.
        conf.setIfMissing("spark.executorEnv.OMP_NUM_THREADS", Integer.toString(threads));
        // Spark's launcher needs it on workers started from the Maven jars rather than a distribution.
        conf.setIfMissing("spark.executorEnv.SPARK_SCALA_VERSION", "2.13");
        settings.forEach((k, v) -> conf.set(PREFIX + k, v));
        return conf;
    }
}
