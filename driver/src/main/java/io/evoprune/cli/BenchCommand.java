package io.evoprune.cli;

import io.evoprune.bench.BenchOptions;
import io.evoprune.bench.BenchSuite;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code evoprune bench}: the benchmark suite on the reference workload (not a test; see docs/benchmarks.md). */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Run the benchmark suite on the reference workload and print its results (JSON and a table).",
                "Items: throughput (1-2), limit (3), overhead (4), growth (6a), tuning, scale-out (5), memory (6b),"
                        + " device (7: evaluations at once on one GPU, or the CPU);"
                        + " scale-out and memory start a standalone cluster on 127.0.0.1 and need the packaged jar."})
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", defaultValue = "conf/reference-workload.properties",
            description = "The reference workload's job file (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = "--data", paramLabel = "PATH", description = "Override data.path (default: the job file's).")
    String data;

    @Option(names = "--items", paramLabel = "LIST", defaultValue = "ALL",
            description = "Comma-separated items to run (default: all of them).")
    String items;

    @Option(names = "--smoke", description = "Tiny sizes on the shipped subset: checks every item runs in about a "
            + "minute; its numbers mean nothing. Without --items it skips the cluster items.")
    boolean smoke;

    @Option(names = "--work", paramLabel = "DIR", defaultValue = "runs/bench",
            description = "Folder for the cached pretrained base, cluster logs and results (default: ${DEFAULT-VALUE}).")
    Path work;

    @Option(names = "--record", paramLabel = "FILE",
            description = "Append the results as a Markdown section to FILE (docs/benchmarks.md).")
    Path record;

    @Override
    public Integer call() throws Exception {
        String chosen = !items.equals("ALL") ? items : smoke ? "throughput,limit,overhead,growth,tuning,device"
                : BenchOptions.Item.all();
        BenchOptions options = new BenchOptions(config, data, smoke, Main.configuration(() -> BenchOptions.Item.parse(chosen)), work, record,
                "bin/evoprune bench" + (smoke ? " --smoke" : "") + (items.equals("ALL") ? "" : " --items " + items)
                        + (data == null ? "" : " --data " + data) + (record == null ? "" : " --record " + record));
        new BenchSuite(options, System.out).run();
        return Main.OK;
    }
}
