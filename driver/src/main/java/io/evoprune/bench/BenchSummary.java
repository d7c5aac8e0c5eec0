package io.evoprune.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The suite's results as the Markdown section docs/benchmarks.md records: machine, command, figures, targets. */
final class BenchSummary {
    static final double OVERHEAD_TARGET_PERCENT = 5;
    static final double PEAK_TARGET = 0.5;
    static final double SPEEDUP_TARGET = 1.8;
    static final double DRIVER_HEAP_TARGET_MIB = 256;

    private BenchSummary() {
    }

    static String markdown(Map<String, Object> r) {
        StringBuilder sb = new StringBuilder();
        sb.append("## Benchmark suite, ").append(r.get("date")).append(Boolean.TRUE.equals(r.get("smoke"))
                ? " (smoke mode: tiny sizes, not a measurement)" : "").append("\n\n");
        Map<String, Object> m = map(r, "machine");
        sb.append(String.format(Locale.ROOT, "- **Machine**: %s, %s cores, %s GiB, %s, %s; Spark %s, ND4J %s (%s, "
                        + "OPENBLAS_CORETYPE=%s); load average %.2f at the start%n", m.get("cpu"), m.get("cores"),
                m.get("memoryGiB"), m.get("os"), m.get("java"), m.get("spark"), m.get("nd4jBackend"), m.get("blas"),
                m.get("openblasCoretype") == null ? "unset" : m.get("openblasCoretype"), num(m, "loadAverageAtStart")));
        sb.append("- **Command**: `").append(r.get("command")).append("`\n");
        Map<String, Object> w = map(r, "workload");
        Map<String, Object> ft = map(w, "fineTune");
        sb.append(String.format(Locale.ROOT, "- **Workload**: %s; fine-tune %s, validation %s, test %s examples; base "
                        + "%,d parameters (%s); %s masks of %s bits; each evaluation fine-tunes the %s network %s epoch(s), "
                        + "batch %s%s, %s ND4J thread(s); population %s, %s generations%n",
                w.get("data"), w.get("fineTuneExamples"), w.get("validationExamples"), w.get("testExamples"),
                ((Number) w.get("baseParameters")).longValue(), w.get("base"), w.get("granularity"), w.get("maskBits"),
                Boolean.TRUE.equals(ft.get("rebuilt")) ? "rebuilt (physically smaller)" : "masked full-size",
                ft.get("epochs"), ft.get("batchSize"),
                ((Number) ft.get("maxBatches")).intValue() > 0 ? ", at most " + ft.get("maxBatches") + " batches" : "",
                w.get("evaluationThreads"), w.get("population"), w.get("generations")));
        String header = "\n| item | figure | value | target |\n|---|---|---|---|\n";
        sb.append(header);
        int rowsFrom = sb.length();
        if (r.containsKey("throughput")) {
            Map<String, Object> t = map(r, "throughput");
            row(sb, "1. throughput", "evaluations per second (search on " + BenchSuite.LOCAL_MASTER + ")",
                    f("%.3f", num(t, "evaluationsPerSecond")), "");
            row(sb, "1. throughput", "seconds per evaluation (search wall time / evaluations)",
                    f("%.2f", num(t, "secondsPerEvaluation")), "");
            row(sb, "1. throughput", "mean seconds of one evaluation task", f("%.2f", num(t, "meanTaskSeconds")), "");
            row(sb, "1. throughput", "search wall time",
                    f("%.1f s, %d evaluations (%d cached), %d generations", num(t, "searchSeconds"),
                            (int) num(t, "evaluations"), (int) num(t, "cacheHits"), (int) num(t, "generations")), "");
            row(sb, "1. throughput", "best mask", f("keeps %.1f%% (%d units); validation %.4f, test %.4f",
                    100 * num(t, "bestKeptFraction"), (int) num(t, "bestKeptUnits"), num(t, "bestValidationAccuracy"),
                    num(t, "bestTestAccuracy")), "");
            row(sb, "1. throughput", "dense base", f("validation %.4f, test %.4f", num(t, "baseValidationAccuracy"),
                    num(t, "baseTestAccuracy")), "");
            Object ttq = t.get("timeToQualitySeconds");
            row(sb, "2. time to quality", "first mask with kept <= 0.5 and validation >= base - 0.01",
                    ttq == null ? "not reached in " + t.get("generations") + " generations"
                            : f("%.1f s (generation %d)", ((Number) ttq).doubleValue(),
                            ((Number) t.get("timeToQualityGeneration")).intValue()), "");
        }
        if (r.containsKey("limit")) {
            Map<String, Object> l = map(r, "limit");
            row(sb, "3. closeness to the limit", "FLOPs per evaluation (layer shapes: 3x forward per fine-tune "
                    + "example, 1x per validation example)", f("%.3g", num(l, "flopsPerEvaluation")), "");
            row(sb, "3. closeness to the limit", "FLOP/s of the search (" + l.get("slots") + " evaluations at once)",
                    gflops(num(l, "searchFlopsPerSecond")), "");
            row(sb, "3. closeness to the limit", "FLOP/s of one evaluation task", gflops(num(l, "taskFlopsPerSecond")), "");
            row(sb, "3. closeness to the limit", "gemm peak at layers " + l.get("layerShapes") + ", batch "
                    + l.get("batch") + ": 1 thread / " + l.get("slots") + " concurrent",
                    gflops(num(l, "gemmPeakOneThread")) + " / " + gflops(num(l, "gemmPeakConcurrent")), "");
            row(sb, "3. closeness to the limit", "gemm 1024x1024x1024, 1 thread", gflops(num(l, "gemmSquare1024OneThread")), "");
            double fraction = num(l, "fractionOfPeak");
            row(sb, "3. closeness to the limit", "search FLOP/s / concurrent gemm peak", f("%.1f%%", 100 * fraction),
                    target(fraction >= PEAK_TARGET, ">= 50%"));
        }
        if (r.containsKey("overhead")) {
            Map<String, Object> o = map(r, "overhead");
            double overhead = num(o, "overheadPercent");
            row(sb, "4. Spark's overhead", f("%d evaluations, %d at a time: plain loop / Spark " + BenchSuite.LOCAL_MASTER
                            + " (mean of 2 each)", (int) num(o, "evaluations"), (int) num(o, "slots")),
                    f("%.2f s / %.2f s: %+.1f%%%s", num(o, "loopSeconds"), num(o, "sparkSeconds"), overhead,
                            Boolean.TRUE.equals(o.get("sameScores")) ? ", same scores" : ", SCORES DIFFER"),
                    target(overhead < OVERHEAD_TARGET_PERCENT, "< 5%"));
        }
        if (r.containsKey("scaleOut")) {
            Map<String, Object> s = map(r, "scaleOut");
            double speedup = num(s, "speedup");
            row(sb, "5. scale-out", f("the reference search (%d evaluations) on a standalone cluster: 1 executor / 2 "
                            + "executors (1 core each)",
                    (int) num(s, "evaluations")), f("%.1f s / %.1f s: speedup %.2f%s", num(s, "oneExecutorSeconds"),
                    num(s, "twoExecutorsSeconds"), speedup, Boolean.TRUE.equals(s.get("sameScores")) ? ", same best mask"
                            : ", BEST MASKS DIFFER"), target(speedup >= SPEEDUP_TARGET, ">= 1.8"));
        }
        if (r.containsKey("growth")) {
            for (Object o : (List<?>) r.get("growth")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> g = (Map<String, Object>) o;
                row(sb, "6. cost growth", f("one generation of population %d (" + BenchSuite.LOCAL_MASTER + ")",
                        (int) num(g, "population")), f("%.1f s, %.2f s per member, %.3f evals/s", num(g, "seconds"),
                        num(g, "secondsPerMember"), num(g, "evaluationsPerSecond")), "");
            }
        }
        if (r.containsKey("memory")) {
            Map<String, Object> mem = map(r, "memory");
            double state = num(mem, "searchStateMiB");
            row(sb, "6. memory", f("driver heap, weight masks of %d bits, population %d: live before the search (data,"
                            + " base, broadcast) / live at the end of generation %d / sampled peak",
                    (int) num(mem, "maskBits"), (int) num(mem, "population"), (int) num(mem, "generations")),
                    f("%.0f / %.0f / %.0f MiB", num(mem, "driverHeapBeforeMiB"), num(mem, "driverHeapRetainedMiB"),
                            num(mem, "driverHeapPeakMiB")), "");
            double rest = num(mem, "driverHeapRetainedMiB") - num(mem, "dataMiB");
            row(sb, "6. memory", "driver heap live at the end besides the reference data arrays (" + f("%.0f MiB",
                    num(mem, "dataMiB")) + "): Spark, ND4J, the broadcast and the search's population, cache and state",
                    f("%.0f MiB (growth of the live heap over the search: %.1f MiB)", rest, state),
                    target(rest < DRIVER_HEAP_TARGET_MIB, "search state < 256 MiB"));
            row(sb, "6. memory", "executor heap (each executor): live after GC / peak",
                    mib((List<?>) mem.get("executorHeapRetainedMiB")) + " / " + mib((List<?>) mem.get("executorHeapPeakMiB")), "");
            row(sb, "6. memory", "broadcast workload (once per executor)", f("%,d bytes", (long) num(mem, "broadcastBytes")), "");
            for (Object o : (List<?>) mem.get("wire")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> g = (Map<String, Object>) o;
                row(sb, "6. wire", f("generation %d: %d tasks", (int) num(g, "generation"), (int) num(g, "tasks")),
                        f("%.1f s; masks out %,d bytes, results back %,d bytes; task deserialisation %.2f s, result "
                                        + "serialisation %.3f s, task run %.1f s (summed over tasks)", num(g, "seconds"),
                                (long) num(g, "maskBytesOut"), (long) num(g, "resultBytesBack"),
                                num(g, "taskDeserializeSeconds"), num(g, "resultSerializeSeconds"),
                                num(g, "taskRunSeconds")), "");
            }
        }
        if (sb.length() == rowsFrom) { // only items with tables of their own ran
            sb.setLength(rowsFrom - header.length());
        }
        if (r.containsKey("tuning")) {
            Map<String, Object> t = map(r, "tuning");
            sb.append(f("%nTuning: the same %d candidates under one setting at a time (speed-up against the first row;"
                    + " cores busy = this JVM's CPU time / wall time)."
                    + " Building a network costs %.1f ms, rebuilding a smaller one %.1f ms, scoring the validation"
                    + " examples with the base %.1f ms, against %.0f ms for a whole evaluation; a candidate is %,d bytes"
                    + " on the wire (%d-bit mask), a result %,d bytes.%n%n",
                    (int) num(t, "evaluations"), num(t, "networkBuildMillis"), num(t, "rebuildMillis"),
                    num(t, "scoringMillis"), num(t, "evaluationMillis"), (long) num(t, "bytesPerCandidate"), (int) num(t, "maskBits"),
                    (long) num(t, "bytesPerResult")));
            if (t.get("float64Problem") != null) {
                sb.append("float64 not measured: ").append(t.get("float64Problem")).append(".\n\n");
            }
            sb.append("| variant | setting | at once x threads | seconds | evals/s | mean validation acc | speed-up "
                    + "| cores busy |\n").append("|---|---|---|---|---|---|---|---|\n");
            for (Object o : (List<?>) t.get("variants")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> v = (Map<String, Object>) o;
                sb.append(f("| %s | `%s` | %d x %d | %.1f | %.3f | %.4f | %.2f | %.2f |%n", v.get("name"),
                        v.get("setting"), (int) num(v, "concurrent"), (int) num(v, "threadsPerEvaluation"),
                        num(v, "seconds"), num(v, "evaluationsPerSecond"), num(v, "meanValidationAccuracy"),
                        num(v, "speedup"), num(v, "coresBusy")));
            }
        }
        if (r.containsKey("device")) {
            Map<String, Object> d = map(r, "device");
            StringBuilder at = new StringBuilder();
            for (Object o : (List<?>) d.get("levels")) {
                at.append(at.length() == 0 ? "" : ", ").append(((Map<?, ?>) o).get("concurrent"));
            }
            sb.append(f("%nDevice: the same %d candidates evaluated %s at a time in one JVM on the %s backend "
                    + "(with CUDA each thread pinned to GPU 0, as tasks sharing it are; speed-up against the first "
                    + "row); GPU memory: %s (peak during the batch beyond what was in use before).%n%n",
                    (int) num(d, "evaluations"), at, d.get("backend"), d.get("memory")));
            sb.append("| at once | seconds | evals/s | mean validation acc | speed-up | peak memory | per evaluation "
                    + "in flight |\n").append("|---|---|---|---|---|---|---|\n");
            for (Object o : (List<?>) d.get("levels")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> l = (Map<String, Object>) o;
                boolean measured = l.get("peakMiB") != null;
                sb.append(f("| %d | %.1f | %.3f | %.4f | %.2f | %s | %s |%n", (int) num(l, "concurrent"),
                        num(l, "seconds"), num(l, "evaluationsPerSecond"), num(l, "meanValidationAccuracy"),
                        num(l, "speedup"), measured ? f("%.0f MiB", num(l, "peakMiB")) : "-",
                        measured ? f("%.1f MiB", num(l, "mibPerEvaluation")) : "-"));
            }
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, String item, String figure, String value, String target) {
        sb.append("| ").append(item).append(" | ").append(figure).append(" | ").append(value).append(" | ")
                .append(target).append(" |\n");
    }

    private static String target(boolean met, String target) {
        return target + ": " + (met ? "met" : "**not met**");
    }

    private static String gflops(double flops) {
        return f("%.2f GFLOP/s", flops / 1e9);
    }

    private static String mib(List<?> values) {
        StringBuilder sb = new StringBuilder();
        for (Object v : values) {
            sb.append(sb.length() == 0 ? "" : ", ").append(f("%.0f", ((Number) v).doubleValue()));
        }
        return sb.append(" MiB").toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> m, String key) {
        return (Map<String, Object>) m.get(key);
    }

    private static double num(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
