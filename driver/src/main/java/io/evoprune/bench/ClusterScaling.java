package io.evoprune.bench;

import io.evoprune.cluster.StandaloneCluster;
import io.evoprune.config.SearchConfig;
import io.evoprune.data.ArrayDataset;
import io.evoprune.evaluation.Candidate;
import io.evoprune.evaluation.Workload;
import io.evoprune.farm.SparkEvaluationFarm;
import io.evoprune.farm.SparkSetup;
import io.evoprune.mask.Granularity;
import io.evoprune.mask.MaskSettings;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.model.NetworkBlueprint;
import io.evoprune.search.BatchEvaluator;
import io.evoprune.mask.MaskRepair;
import io.evoprune.search.GeneticSearch;
import io.evoprune.search.SearchResult;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;

/**
 * Items 5 and 6b, on a real standalone cluster of separate JVMs on loopback (a Master and two one-core Workers
 * started from the Maven-resolved Spark jars): the same generation with one executor and with two, then, with two
 * executors, a search over {@code weight} masks at population 256 with the driver's and the executors' heap and
 * what each generation puts on the wire.
 */
final class ClusterScaling {
    static final int MEMORY_POPULATION = 256;

    /** The reference search on one executor and on two; {@code sameScores}: the same best mask and fitness. */
    record ScaleOut(int evaluations, double oneExecutorSeconds, double twoExecutorsSeconds, double speedup,
                    boolean sameScores) {
    }

    record Wire(int generation, int tasks, double seconds, long maskBytesOut, long resultBytesBack,
                double taskDeserializeSeconds, double resultSerializeSeconds, double taskRunSeconds) {
    }

    /**
     * @param driverHeapBeforeMiB   live driver heap with the data, the base and the broadcast, before the search
     * @param driverHeapRetainedMiB live driver heap at the end of the last generation, the search's state included
     * @param searchStateMiB        the live heap's growth over the search (noisy: Spark keeps soft references that
     *                              a collection may or may not clear, so it can even come out negative)
     * @param dataMiB               the reference data the driver holds as Java arrays (pretraining, fine-tuning,
     *                              validation and test splits): live all run long, whatever the population
     */
    record Memory(int population, int maskBits, int generations, double driverHeapBeforeMiB,
                  double driverHeapRetainedMiB, double searchStateMiB, double dataMiB, double driverHeapPeakMiB, List<Double> executorHeapRetainedMiB,
                  List<Double> executorHeapPeakMiB, long broadcastBytes, List<Wire> wire) {
    }

    record Result(ScaleOut scaleOut, Memory memory) {
    }

    private ClusterScaling() {
    }

    static Result run(ReferenceSetup setup, BenchOptions options, PrintStream console) throws IOException,
            InterruptedException {
        Path jar = applicationJar();
        Path dir = options.work().resolve("cluster");
        Files.createDirectories(dir);
        long t = System.nanoTime();
        try (StandaloneCluster cluster = StandaloneCluster.start(jar.getParent().resolve("spark-home"), dir, 2,
                Map.of())) {
            console.printf(Locale.ROOT, "bench: standalone cluster (Master + 2 one-core Workers) up in %.1f s%n",
                    TimedBatch.seconds(t));
            SearchResult one = null;
            SearchResult two = null;
            Memory memory = null;
            for (int executors = 1; executors <= 2; executors++) {
                if (executors == 1 && !options.runs(BenchOptions.Item.SCALE_OUT)) {
                    continue;
                }
                try (JavaSparkContext spark = new JavaSparkContext(conf(setup, cluster, jar, executors));
                     SparkEvaluationFarm farm = new SparkEvaluationFarm(spark, setup.workload, 0)) {
                    // Each executor's first evaluations load ND4J, read the broadcast and warm the JIT.
                    TimedBatch.spark(farm, 0, setup.candidates(4 * executors, 8));
                    if (options.runs(BenchOptions.Item.SCALE_OUT)) {
                        SearchResult search = new GeneticSearch(setup.config.search(), setup.layout().units(), farm,
                                farm::generationDone, MaskRepair.of(setup.layout(), setup.config.mask(), setup.base)).run();
                        console.printf(Locale.ROOT, "bench: %d executor(s): the reference search, %d evaluations in"
                                + " %.1f s%n", executors, search.evaluations(), search.seconds());
                        if (executors == 1) {
                            one = search;
                        } else {
                            two = search;
                        }
                    }
                    if (executors == 2 && options.runs(BenchOptions.Item.MEMORY)) {
                        memory = memory(setup, spark, options.smoke() ? 8 : MEMORY_POPULATION, console);
                    }
                }
            }
            ScaleOut scaleOut = one == null ? null : new ScaleOut(one.evaluations(), one.seconds(), two.seconds(),
                    one.seconds() / two.seconds(), one.bestMask().equals(two.bestMask())
                    && one.best().fitness() == two.best().fitness());
            return new Result(scaleOut, memory);
        }
    }

    private static SparkConf conf(ReferenceSetup setup, StandaloneCluster cluster, Path jar, int executors) {
        SparkConf conf = cluster.applicationConf("evoprune-bench-" + executors + "-executors", jar, executors,
                System.getProperty("org.bytedeco.javacpp.cachedir", System.getProperty("user.home") + "/.javacpp/evoprune"))
                .set("spark.ui.enabled", "false")
                // The memory probe's answer: one long[] per task.
                .set("spark.kryo.classesToRegister", "[[J");
        return SparkSetup.configure(conf, setup.config.settings(), setup.config.threads());
    }

    /** A search over weight masks at {@code population}, 1 generation after generation 0, with cheap evaluations. */
    private static Memory memory(ReferenceSetup setup, JavaSparkContext spark, int population, PrintStream console)
            throws InterruptedException {
        PrunableLayout layout = PrunableLayout.of(setup.base.configuration(),
                new MaskSettings(Granularity.WEIGHT, List.of(), List.of(), 0));
        var splits = setup.inputs.splits();
        // One batch of fine-tuning per candidate: this item measures memory and traffic, not accuracy.
        Workload workload = new Workload(NetworkBlueprint.of(setup.base), splits.fineTune(), splits.validation(),
                layout, setup.workload.fineTune().withRebuilt(false).withMaxBatches(1), setup.config.fitness(),
                setup.config.threads(), setup.inputs.normalizer());
        SearchConfig s = setup.config.search();
        SearchConfig search = new SearchConfig(population, 1, 0, 0, s.selection(), s.tournamentSize(), s.crossover(),
                s.crossoverProbability(), SearchConfig.AUTO_MUTATION, s.elitism(), s.initialKeepProbability(), s.seed());
        SerializerInstance kryo = new KryoSerializer(spark.getConf()).newInstance();
        WireMeter meter = new WireMeter();
        spark.sc().addSparkListener(meter);
        List<Wire> wire = new ArrayList<>();
        // The highest heap use seen by polling every 20 ms (garbage included: what the heap must hold).
        PeakSampler sampler = new PeakSampler("bench-heap-sampler",
                () -> ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), 20, 0);
        double[] retained = {Double.NaN};
        double before;
        try (SparkEvaluationFarm farm = new SparkEvaluationFarm(spark, workload, 0)) {
            before = retainedHeapMiB(); // data, base network, broadcast: everything but the search
            BatchEvaluator metered = (generation, candidates) -> {
                long bytesOut = 0;
                for (Candidate c : candidates) {
                    bytesOut += WireMeter.kryoBytes(kryo, c, Candidate.class);
                }
                WireMeter.Totals start = meter.totals();
                TimedBatch batch = TimedBatch.spark(farm, generation, candidates);
                WireMeter.Totals used = meter.awaitTasks(start.tasks() + candidates.size()).minus(start);
                wire.add(new Wire(generation, (int) used.tasks(), batch.seconds(), bytesOut, used.resultBytes(),
                        used.deserializeMillis() / 1e3, used.resultSerializeMillis() / 1e3, used.runMillis() / 1e3));
                console.printf(Locale.ROOT, "bench: weight masks, generation %d: %d evaluations in %.1f s%n",
                        generation, candidates.size(), batch.seconds());
                return batch.results();
            };
            sampler.start();
            new GeneticSearch(search, layout.units(), metered, stats -> {
                if (stats.generation() == search.generations()) {
                    retained[0] = retainedHeapMiB(); // the population, the cache and the search's state are live
                }
            }, null).run();
            sampler.stop();
        }
        List<long[]> executors = spark.parallelize(Arrays.asList(0, 1, 2, 3, 4, 5, 6, 7), 8)
                .map(i -> executorHeap()).collect();
        Map<Long, long[]> byPid = new TreeMap<>();
        for (long[] e : executors) {
            byPid.merge(e[0], e, (a, b) -> a[2] >= b[2] ? a : b);
        }
        List<Double> executorRetained = new ArrayList<>();
        List<Double> executorPeak = new ArrayList<>();
        byPid.values().forEach(e -> {
            executorRetained.add(e[1] / MIB);
            executorPeak.add(e[2] / MIB);
        });
        double data = 0;
        for (ArrayDataset part : List.of(splits.pretrain(), splits.fineTune(), splits.validation(), splits.test())) {
            data += 4.0 * part.features().length + (part.labels() == null ? 0 : 4.0 * part.labels().length)
                    + (part.targets() == null ? 0 : 4.0 * part.targets().length);
        }
        return new Memory(population, layout.units(), search.generations(), before, retained[0],
                retained[0] - before, data / MIB, sampler.peak() / MIB, executorRetained, executorPeak,
                WireMeter.kryoBytes(kryo, workload, Workload.class), wire);
    }

    private static final double MIB = 1024.0 * 1024.0;

    /** Heap in use after a full collection: what is live. */
    static double retainedHeapMiB() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(200); // reference processing and Spark's cleaner run between collections
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / MIB;
    }

    /** [pid, heap live after a collection, sum of the heap pools' peak usage] of the executor running the task. */
    private static long[] executorHeap() {
        System.gc();
        long live = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return new long[] {ProcessHandle.current().pid(), live, peak};
    }

    /** The application jar this JVM runs from; executors put it on their class path. */
    static Path applicationJar() {
        try {
            Path source = Path.of(ClusterScaling.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (source.toString().endsWith(".jar")) {
                return source;
            }
            Path built = source.getParent().resolve("evoprune.jar"); // target/classes -> target/evoprune.jar
            if (Files.exists(built)) {
                return built;
            }
            throw new IllegalStateException("The cluster items need the packaged application jar (" + built
                    + "): run mvn -DskipTests package first");
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
