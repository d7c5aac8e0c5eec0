package io.evoprune.farm;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.internal.config.ConfigEntry;
import org.apache.spark.scheduler.ExternalClusterManager;
import scala.Tuple2;

/** The Spark settings evoprune relies on, applied to whatever the user or spark-submit already set. */
public final class SparkSetup {
    public static final String DEFAULT_MASTER = "local[*]";
    /** Prefix under which the effective evoprune settings appear in the Spark UI's Environment tab. */
    public static final String PREFIX = "spark.evoprune.";
    /** Spark's prefix for Hadoop settings: spark.hadoop.fs.defaultFS sets fs.defaultFS. */
    static final String HADOOP_PREFIX = "spark.hadoop.";
    /** Spark's objects that declare its settings, each registering its own when first initialised. */
    private static final List<String> SETTING_DECLARATIONS = Stream.concat(
            Stream.of("package", "Deploy", "History", "Kryo", "Network", "Python", "R", "Status", "Streaming", "UI",
                    "Worker").map(o -> "org.apache.spark.internal.config." + o + "$"),
            Stream.of("org.apache.spark.deploy.yarn.config.package$", "org.apache.spark.deploy.k8s.Config$")).toList();

    // Spark's own forms (SparkMasterRegex), less the thread count 0 it also refuses, and a port on every master.
    private static final Pattern LOCAL = Pattern.compile("local(\\[([1-9][0-9]*|\\*)(\\s*,\\s*[0-9]+)?\\])?"
            + "|local-cluster\\[\\s*[0-9]+\\s*,\\s*[0-9]+\\s*,\\s*[0-9]+\\s*]");
    private static final Pattern STANDALONE = Pattern.compile("spark://[^,\\s]+:[0-9]+(,[^,\\s]+:[0-9]+)*");

    /**
     * Room left between JavaCPP's cap and the container's limit: the cap is checked only when ND4J allocates, and RSS
     * went up to 0.2 GiB past it with two evaluations per executor (docs/operations.md); more evaluations overshoot more.
     */
    static final long CAP_MARGIN_MB = 1024;
    /**
     * The least room between the heap and the cap for which a cap is suggested: below it the native working set
     * (ND4J's arrays, OpenBLAS's buffers, the JVM's own memory) would leave JavaCPP failing allocations.
     */
    static final long MIN_NATIVE_MB = 1024;
    /** JavaCPP's cap on a JVM's resident memory; unset, it is 4 x -Xmx (3 x its maxbytes, which defaults to -Xmx, + -Xmx). */
    static final String NATIVE_CAP = "org.bytedeco.javacpp.maxphysicalbytes";

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

    /**
     * Refuses a Spark setting whose value Spark cannot read (a memory size of "lots", a count of "two"): Spark
     * would refuse it only when the context starts, after the run directory exists and a base was pretrained, as a
     * failed run. Checked are the settings Spark declares in its config objects (its ConfigEntry registry: core,
     * network, UI, deploy, Kryo, ..., and YARN's and Kubernetes' where on the class path); others it reads later.
     */
    public static void requireReadable(SparkConf conf) {
        for (String declaring : SETTING_DECLARATIONS) {
            try { // initialising a config object registers the settings it declares
                Class.forName(declaring, true, classLoader());
            } catch (ClassNotFoundException e) {
                // a cluster manager's module that is not on the class path: none of its settings can be in use
            }
        }
        for (Tuple2<String, String> setting : conf.getAll()) {
            ConfigEntry<?> entry = ConfigEntry.findEntry(setting._1());
            if (entry == null) {
                continue;
            }
            try {
                conf.get(entry);
            } catch (IllegalArgumentException e) { // NumberFormatException too; Spark's message names the key
                throw new IllegalArgumentException("Spark setting " + setting._1() + "=" + setting._2()
                        + " cannot be read: " + e.getMessage(), e);
            }
        }
    }

    private static ClassLoader classLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : SparkSetup.class.getClassLoader();
    }

    /**
     * The Hadoop configuration the driver reads and writes its files with (data, models, run directory): Hadoop's
     * own files (core-site.xml on the class path, HADOOP_CONF_DIR under spark-submit) with every
     * {@code spark.hadoop.*} setting of the Spark configuration (spark-submit's --conf, spark-defaults.conf) applied
     * on top, as Spark applies them to a context's. Built without a context: inputs are read and checked first.
     */
    public static Configuration hadoopConfiguration() {
        return hadoopConfiguration(new SparkConf());
    }

    public static Configuration hadoopConfiguration(SparkConf spark) {
        Configuration hadoop = new Configuration();
        for (Tuple2<String, String> e : spark.getAllWithPrefix(HADOOP_PREFIX)) {
            hadoop.set(e._1(), e._2(), "Spark configuration " + HADOOP_PREFIX + e._1());
        }
        return hadoop;
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
     * Advice when executors run in containers that are killed past their memory (YARN, Kubernetes) and nothing caps
     * their resident memory below that: ND4J frees native memory only once the JVM collects the arrays, the C
     * allocator keeps what is freed, and JavaCPP collects and trims only past {@value #NATIVE_CAP}, so a long run's
     * executors grow towards 4 x spark.executor.memory without leaking (measured: docs/operations.md). Null when
     * there is nothing to say.
     */
    public static String nativeMemoryAdvice(SparkConf conf) {
        String master = conf.get("spark.master", DEFAULT_MASTER);
        if (!master.startsWith("yarn") && !master.startsWith("k8s://")) {
            return null; // local: one JVM the user sized; standalone: Workers do not kill executors for memory
        }
        String options = conf.get("spark.executor.defaultJavaOptions", "") + " "
                + conf.get("spark.executor.extraJavaOptions", "");
        if (options.toLowerCase(Locale.ROOT).contains(NATIVE_CAP)) {
            return null;
        }
        long heap = conf.getSizeAsMb("spark.executor.memory", "1g");
        // Kubernetes still reads its own older factor when the executor one is unset (BasicExecutorFeatureStep).
        double factor = conf.contains("spark.executor.memoryOverheadFactor") || master.startsWith("yarn")
                ? conf.getDouble("spark.executor.memoryOverheadFactor", 0.10)
                : conf.getDouble("spark.kubernetes.memoryOverheadFactor", 0.10);
        long overhead = conf.contains("spark.executor.memoryOverhead")
                ? conf.getSizeAsMb("spark.executor.memoryOverhead", "0")
                : Math.max(conf.getSizeAsMb("spark.executor.minMemoryOverhead", "384m"), (long) (factor * heap));
        // Spark's own off-heap memory, where enabled, is part of the container and of the process's physical bytes.
        long offHeap = conf.getBoolean("spark.memory.offHeap.enabled", false)
                ? conf.getSizeAsMb("spark.memory.offHeap.size", "0") : 0;
        long container = heap + overhead + offHeap;
        long cap = container - CAP_MARGIN_MB;
        String fix = cap >= heap + offHeap + MIN_NATIVE_MB
                ? "Add -D" + NATIVE_CAP + "=" + cap + "m (the container less " + CAP_MARGIN_MB + " MB) to"
                        + " spark.executor.extraJavaOptions"
                : "Raise spark.executor.memoryOverhead to at least " + (MIN_NATIVE_MB + CAP_MARGIN_MB) + "m and add -D"
                        + NATIVE_CAP + "=<spark.executor.memory + memoryOverhead" + (offHeap > 0
                        ? " + spark.memory.offHeap.size" : "") + " - " + CAP_MARGIN_MB + "m> to"
                        + " spark.executor.extraJavaOptions";
        return "executors' native memory is not capped below their container: ND4J's arrays are freed when the JVM"
                + " collects them, and JavaCPP collects only past " + NATIVE_CAP + ", by default 4 x"
                + " spark.executor.memory (" + 4 * heap + " MB), while " + (master.startsWith("yarn") ? "YARN" : "Kubernetes")
                + " kills an executor past spark.executor.memory + memoryOverhead"
                + (offHeap > 0 ? " + spark.memory.offHeap.size" : "") + " (" + container + " MB); long runs"
                + " get there. " + fix
                + " (docs/operations.md, \"Long runs: executor memory\")";
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
