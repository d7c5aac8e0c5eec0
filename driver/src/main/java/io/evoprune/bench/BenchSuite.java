package io.evoprune.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.evoprune.bench.BenchOptions.Item;
import io.evoprune.farm.SparkSetup;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The benchmark suite on the reference workload (docs/benchmarks.md, conf/reference-workload.properties):
 * every item in one JVM on one machine, so that ratios between items are taken under the same conditions. Writes
 * results.json and summary.md into the work folder and prints the summary; {@link BenchOptions#record()} appends
 * it to docs/benchmarks.md. Not a test: nothing here asserts, and the numbers depend on the machine.
 */
public final class BenchSuite {
    /** Spark's local mode with two task slots: the reference machine's two cores. */
    static final String LOCAL_MASTER = "local[2]";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final BenchOptions options;
    private final PrintStream console;

    public BenchSuite(BenchOptions options, PrintStream console) {
        this.options = options;
        this.console = console;
    }

    /** Runs the chosen items and returns the results, as also written to {@code results.json}. */
    public Map<String, Object> run() throws IOException, InterruptedException {
        Map<String, Object> results = new LinkedHashMap<>();
        String started = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        results.put("date", started);
        results.put("command", options.command());
        results.put("smoke", options.smoke());
        results.put("machine", Machine.describe());

        ReferenceSetup setup = ReferenceSetup.load(options, console);
        results.put("workload", workload(setup));
        boolean local = options.runs(Item.THROUGHPUT) || options.runs(Item.LIMIT) || options.runs(Item.OVERHEAD)
                || options.runs(Item.GROWTH) || options.runs(Item.TUNING);
        if (local) {
            SparkConf conf = SparkSetup.configure(new SparkConf().setMaster(LOCAL_MASTER).setAppName("evoprune-bench")
                    .set("spark.ui.enabled", "false"), setup.config.settings(), setup.config.threads());
            try (JavaSparkContext spark = new JavaSparkContext(conf)) {
                int slots = spark.sc().defaultParallelism();
                List<SearchThroughput.Evaluated> log = new ArrayList<>();
                SearchThroughput.Result throughput = null;
                if (options.runs(Item.THROUGHPUT) || options.runs(Item.LIMIT)) {
                    console.println("bench: 1-2. the reference search on " + LOCAL_MASTER);
                    throughput = SearchThroughput.run(setup, spark, log, console);
                    results.put("throughput", throughput);
                }
                if (options.runs(Item.LIMIT)) {
                    console.println("bench: 3. evaluation FLOPs against the gemm peak");
                    results.put("limit", HardwareLimit.run(setup, log, throughput.searchSeconds(), slots, options.smoke()));
                }
                if (options.runs(Item.OVERHEAD)) {
                    console.println("bench: 4. Spark's overhead");
                    results.put("overhead", SparkOverhead.run(setup, spark, slots));
                }
                if (options.runs(Item.GROWTH)) {
                    console.println("bench: 6a. time per generation as the population grows");
                    results.put("growth", CostGrowth.run(setup, spark,
                            options.smoke() ? List.of(2, 4) : List.of(8, 16, 32, 64)));
                }
                if (options.runs(Item.TUNING)) {
                    console.println("bench: tuning: one setting changed at a time");
                    results.put("tuning", Tuning.run(setup, spark, slots, options.smoke() ? 2 : 16, console));
                }
            }
        }
        if (options.runs(Item.DEVICE)) {
            console.println("bench: 7. evaluations at once on one device");
            results.put("device", DeviceConcurrency.run(setup, options.smoke() ? List.of(1, 2) : List.of(1, 2, 4, 8),
                    options.smoke() ? 2 : 16, console));
        }
        if (options.runs(Item.SCALE_OUT) || options.runs(Item.MEMORY)) {
            console.println("bench: 5, 6b. standalone cluster on loopback");
            ClusterScaling.Result cluster = ClusterScaling.run(setup, options, console);
            if (cluster.scaleOut() != null) {
                results.put("scaleOut", cluster.scaleOut());
            }
            if (cluster.memory() != null) {
                results.put("memory", cluster.memory());
            }
        }

        // Round-trip through JSON: the summary reads the same tree a reader of results.json gets.
        @SuppressWarnings("unchecked")
        Map<String, Object> tree = JSON.readValue(JSON.writeValueAsString(results), LinkedHashMap.class);
        Files.writeString(options.work().resolve("results.json"), JSON.writeValueAsString(tree) + "\n");
        String summary = BenchSummary.markdown(tree);
        Files.writeString(options.work().resolve("summary.md"), summary);
        console.println();
        console.print(summary);
        console.println("bench: results in " + options.work().resolve("results.json"));
        if (options.record() != null) {
            Files.writeString(options.record(), "\n" + summary, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            console.println("bench: appended to " + options.record());
        }
        return tree;
    }

    private static Map<String, Object> workload(ReferenceSetup setup) {
        var c = setup.config;
        var splits = setup.inputs.splits();
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("data", c.data().path());
        w.put("fineTuneExamples", splits.fineTune().size());
        w.put("validationExamples", splits.validation().size());
        w.put("testExamples", splits.test().size());
        w.put("base", setup.baseFile.toString());
        w.put("baseParameters", setup.base.numParams());
        w.put("granularity", setup.layout().granularity().configName());
        w.put("maskBits", setup.layout().units());
        w.put("fineTune", setup.workload.fineTune());
        w.put("population", c.search().population());
        w.put("generations", c.search().generations());
        w.put("evaluationThreads", c.threads());
        w.put("baseValidationAccuracy", setup.baseValidationAccuracy);
        w.put("baseTestAccuracy", setup.baseTestAccuracy);
        return w;
    }
}
