package io.evoprune.farm;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.ExternalClusterManager;

/** The Spark settings evoprune relies on, applied to whatever the user or spark-submit already set. */
public final class SparkSetup {
    public static final String DEFAULT_MASTER = "local[*]";
    /** Prefix under which the effective evoprune settings appear in the Spark UI's Environment tab. */
    public static final String PREFIX = "spark.evoprune.";

    // Spark's own forms (SparkMasterRegex), less the thread count 0 it also refuses, and a port on every master.
    private static final Pattern LOCAL = Pattern.compile("local(\\[([1-9][0-9]*|\\*)(\\s*,\\s*[0-9]+)?\\])?"
            + "|local-cluster\\[\\s*[0-9]+\\s*,\\s*[0-9]+\\s*,\\s*[0-9]+\\s*]");
    private static final Pattern STANDALONE = Pattern.compile("spark://[^,\\s]+:[0-9]+(,[^,\\s]+:[0-9]+)*");

    private SparkSetup() {
    }

    /**
     * Refuses a master URL no scheduler here takes, as Spark decides it: local and standalone forms, then the
     * cluster managers on the class path (YARN, Kubernetes, plugins). Spark would refuse it only when the context
     * starts, after the run directory exists; checked first, a typo is bad input that leaves nothing behind.
     */
    public static void requireMaster(String master) {
        boolean known = master.startsWith("local") ? LOCAL.matcher(master).matches()
                : master.startsWith("spark://") ? STANDALONE.matcher(master).matches()
                : ServiceLoader.load(ExternalClusterManager.class, classLoader()).stream()
                        .anyMatch(manager -> manager.get().canCreate(master));
        if (!known) {
            throw new IllegalArgumentException("Spark master '" + master + "' (--master or spark.master) is not one"
                    + " this Spark can run on: local, local[N], local[*], local[N,F], spark://HOST:PORT[,HOST:PORT],"
                    + " or yarn and k8s://https://HOST:PORT where their Spark modules are on the class path");
        }
    }

    private static ClassLoader classLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : SparkSetup.class.getClassLoader();
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

    /**
     * A context for {@code conf}, once a standalone Master has taken the application (its id is then the Master's
     * {@code app-...}). A Master that never answers the driver (wrong spark.authenticate.secret, unreachable) makes
     * Spark give up after three 20-second tries and stop the context from another thread: the constructor then
     * fails, or returns a context whose first broadcast waits forever on the stopping block manager. Both end here,
     * before anything is sent, with one message.
     */
    public static JavaSparkContext start(SparkConf conf) {
        String master = conf.get("spark.master");
        boolean standalone = master.startsWith("spark://");
        JavaSparkContext spark;
        try {
            spark = new JavaSparkContext(conf);
        } catch (IllegalStateException e) { // "Spark context stopped while waiting for backend"
            throw standalone ? notRegistered(master, e) : e;
        }
        if (standalone && (spark.sc().isStopped() || !spark.sc().applicationId().startsWith("app-"))) {
            spark.stop();
            throw notRegistered(master, null);
        }
        return spark;
    }

    private static IllegalStateException notRegistered(String master, Exception cause) {
        return new IllegalStateException("The standalone Master at " + master + " did not register the application"
                + " (Spark gave up: \"All masters are unresponsive\" in the log). Check that the Master is reachable and"
                + " that spark.authenticate and spark.authenticate.secret match the cluster's", cause);
    }
}
