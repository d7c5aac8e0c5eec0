package io.evoprune.bench;

import io.evoprune.evaluation.Checks;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/**
 * What one run of the benchmark suite measures and where it puts the results.
 *
 * @param config  the reference workload's job file (conf/reference-workload.properties)
 * @param data    data.path override; null = the job file's
 * @param smoke   tiny sizes on the shipped subset: checks that every item runs, measures nothing worth recording
 * @param items   the items to run
 * @param work    folder for the cached pretrained base, cluster logs and the results
 * @param record  Markdown file to append the results to (docs/benchmarks.md); null = none
 * @param command the command line, as recorded with the numbers
 */
public record BenchOptions(Path config, String data, boolean smoke, Set<Item> items, Path work, Path record,
                           String command) {

    /** The suite's items, in the order they run. */
    public enum Item {
        /** 1-2: the reference search on local[2]: evaluations per second, time to quality. */
        THROUGHPUT,
        /** 3: FLOPs per second of an evaluation against the measured gemm peak at the same layer sizes. */
        LIMIT,
        /** 4: the same evaluations in a plain in-process loop and through Spark. */
        OVERHEAD,
        /** 6a: time per generation for growing populations. */
        GROWTH,
        /** What each performance setting gives, evaluation by evaluation. */
        TUNING,
        /** 5: one executor against two, on a standalone cluster of separate JVMs on loopback. */
        SCALE_OUT,
        /** 6b: driver and executor heap, time and bytes on the wire, weight masks at population 256 (cluster). */
        MEMORY,
        /** 7: 1, 2, 4, 8 evaluations at once on one device (GPU 0 with the CUDA build, else the CPU), memory each. */
        DEVICE;

        public String configName() {
            return Checks.configName(this);
        }

        public static Set<Item> parse(String list) {
            Set<Item> items = EnumSet.noneOf(Item.class);
            for (String name : list.split(",")) {
                if (name.isBlank()) {
                    continue;
                }
                items.add(io.evoprune.evaluation.Checks.choice(Item.class, "--items", name));
            }
            if (items.isEmpty()) {
                throw new IllegalArgumentException("--items names no item; choose from " + all());
            }
            return items;
        }

        public static String all() {
            StringBuilder sb = new StringBuilder();
            for (Item i : values()) {
                sb.append(sb.length() == 0 ? "" : ",").append(i.configName());
            }
            return sb.toString();
        }
    }

    public BenchOptions {
        items = Set.copyOf(items);
    }

    public boolean runs(Item item) {
        return items.contains(item);
    }
}
