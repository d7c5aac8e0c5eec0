package io.evoprune.job;

import io.evoprune.config.RebuildConfig;
import io.evoprune.config.RebuildKeys;
import io.evoprune.evaluation.PairedComparison;
import io.evoprune.evaluation.Scores;
import io.evoprune.mask.Mask;
import io.evoprune.mask.MaskApplier;
import io.evoprune.mask.MaskEnforcer;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.mask.Seeds;
import io.evoprune.rebuild.Equivalence;
import io.evoprune.rebuild.Footprint;
import io.evoprune.rebuild.MaskRebuild;
import io.evoprune.rebuild.RebuildExport;
import io.evoprune.rebuild.Rebuilt;
import io.evoprune.rebuild.Recovery;
import io.evoprune.report.RebuildReport;
import io.evoprune.report.ReportInputs;
import io.evoprune.report.RunDirectory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import io.evoprune.model.Network;
import java.util.ArrayList;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * After the search: rebuild the best mask's network without its pruned units, prove it computes what the
 * masked network computes, fine-tune it, measure it against the base and export it. Writes
 * {@value #MODEL}, {@value #SUMMARY} and {@value #REPORT} into the run directory.
 */
public final class RebuildStep {
    public static final String MODEL = "rebuilt-model.zip";
    public static final String SUMMARY = "rebuild-summary.txt";
    public static final String REPORT = ReportInputs.REBUILD;
    /** What a 'weight' mask exports instead of a rebuilt model. */
    public static final String MASKED_MODEL = "masked-model.zip";
    /** The run seed's stream for recovery fine-tuning (RunInputs lists the others). */
    private static final long STREAM = 10;

    private final RebuildConfig config;
    private final RunDirectory run;
    private final PrintStream console;
    /** What the console calls the network the step was given: the base, or the model apply was given. */
    private final String input;

    public RebuildStep(RebuildConfig config, RunDirectory run, PrintStream console) {
        this(config, run, console, "base");
    }

    /**
     * @param input what the recovered network is compared with on the console ("input" where apply was given a
     *              model that already has the mask applied, such as a run's pruned-model.zip: not the dense base)
     */
    public RebuildStep(RebuildConfig config, RunDirectory run, PrintStream console, String input) {
        this.config = config;
        this.run = run;
        this.console = console;
        this.input = input;
    }

    /** The data the step uses: fine-tune for recovery, validation and test for scores; test also for equivalence and timing. */
    public record Data(DataSet fineTune, DataSet validation, DataSet test, boolean regression) {
    }

    /** What the step wrote: the report, and the exported network ({@code file} in the run directory). */
    public record Exported(RebuildReport report, Network network, String file) {
    }

    /**
     * Rebuilds {@code masked} (the base with {@code mask} applied, possibly fine-tuned) and writes the outputs.
     * {@code normalizer} (NormalizerSerializer bytes) is bundled into the exported model when not null; {@code data}
     * may be null, and then nothing is checked, fine-tuned or timed. A 'weight' mask has no smaller network, nor has a graph the rebuild
     * cannot follow (a vertex it does not know reads pruned units): the masked one is exported and its sparsity
     * reported instead, so a finished search always ends in a usable model. Recovery draws from {@code runSeed}'s
     * rebuild stream, in a run as in {@code apply}, so that apply reproduces a run's rebuild.
     */
    public Exported run(Network base, Network masked, PrunableLayout layout, Mask mask, Data data, long runSeed,
                        byte[] normalizer) throws IOException {
        long seed = recoverySeed(runSeed);
        if (!MaskRebuild.rebuildable(layout.granularity())) {
            return sparseOnly(base, masked, layout, mask, data, seed, normalizer, MaskRebuild.NO_DENSE_REBUILD);
        }
        Rebuilt rebuilt;
        try {
            rebuilt = MaskRebuild.rebuild(masked, layout, mask);
        } catch (IllegalArgumentException e) {
            console.println("evoprune: the network cannot be rebuilt smaller (" + e.getMessage() + "); the masked"
                    + " network is exported instead, as " + MASKED_MODEL);
            return sparseOnly(base, masked, layout, mask, data, seed, normalizer, e.getMessage());
        }
        Network net = rebuilt.network();
        Equivalence.Difference difference = new Equivalence.Difference(Double.NaN, Double.NaN);
        RebuildReport.Recovery recovery = null;
        Footprint baseFootprint = null;
        Footprint rebuiltFootprint = null;
        if (data != null) {
            // Equivalence before anything trains the rebuilt network: a rebuild that changes outputs is a bug,
            // and its model must not be exported as if it were the pruned one.
            difference = Equivalence.of(masked, net, data.test().getFeatures());
            if (!difference.holds()) {
                throw new IllegalStateException((Double.isNaN(difference.maxAbs())
                        ? "The rebuilt network's outputs are NaN where the masked network's are not, or the reverse,"
                        + " on the test set"
                        : "The rebuilt network's outputs differ from the masked network's by up to "
                        + difference.maxAbs() + " on the test set, above the "
                        + Equivalence.describeBound(difference.scale()))
                        + "; the rebuild is wrong and nothing was exported");
            }
            Scores validationBefore = Scores.of(net, data.validation(), data.regression());
            Scores testBefore = Scores.of(net, data.test(), data.regression());
            long start = System.nanoTime();
            Recovery.fineTune(net, data.fineTune(), config.recovery(), seed);
            double seconds = (System.nanoTime() - start) / 1e9;
            recovery = new RebuildReport.Recovery(config.recovery(), validationBefore, testBefore,
                    Scores.of(net, data.validation(), data.regression()), Scores.of(net, data.test(), data.regression()),
                    PairedComparison.of(base, net, data.test(), data.regression()), seconds);
            List<Footprint> measured = Footprint.measure(List.of(base, net),
                    atLeastRows(data.test().getFeatures(), config.measure().batch()), config.measure());
            baseFootprint = measured.get(0);
            rebuiltFootprint = measured.get(1);
        }
        RebuildReport report = new RebuildReport(layout.granularity().configName(), mask.keptFraction(), true, null,
                difference.maxAbs(), difference.bound(), difference.scale(), rebuilt.layers(), null, recovery,
                baseFootprint, rebuiltFootprint,
                baseFootprint == null ? null : RebuildReport.Gains.of(baseFootprint, rebuiltFootprint), machine());
        run.writeModel(MODEL, net, normalizer);
        String summary = RebuildExport.summary(rebuilt.layers()) + (report.base() == null ? "" : table(report, input));
        finish(report, summary);
        return new Exported(report, net, MODEL);
    }

    /**
     * A copy of {@code net} given the recovery fine-tuning {@link #run} gives the exported network: the same
     * settings, data and seed (so the same batches). The run's dense control gets it, so that it has had all the
     * training the exported network had.
     */
    public Network recovered(Network net, DataSet fineTune, long runSeed) {
        Network copy = Network.create(net.configuration(), net.params());
        Recovery.fineTune(copy, fineTune, config.recovery(), recoverySeed(runSeed));
        return copy;
    }

    private static long recoverySeed(long runSeed) {
        return Seeds.derive(runSeed, STREAM, 0);
    }

    /**
     * A 'weight' mask, or a network the rebuild cannot follow ({@code why}): the masked network is the deliverable;
     * it gets the same recovery fine-tuning as a rebuilt one, with its pruned weights held at zero, and the step says
     * so and how sparse it is.
     */
    private Exported sparseOnly(Network base, Network pruned, PrunableLayout layout, Mask mask, Data data, long seed,
                                     byte[] normalizer, String why) throws IOException {
        Network masked = pruned;
        RebuildReport.Recovery recovery = null;
        if (data != null && config.recovery().epochs() > 0) {
            masked = Network.create(pruned.configuration(), pruned.params());
            Scores validationBefore = Scores.of(masked, data.validation(), data.regression());
            Scores testBefore = Scores.of(masked, data.test(), data.regression());
            long start = System.nanoTime();
            masked.setListeners(new MaskEnforcer(MaskApplier.parameterMask(masked, layout, mask)));
            Recovery.fineTune(masked, data.fineTune(), config.recovery(), seed);
            masked.setListeners();
            double seconds = (System.nanoTime() - start) / 1e9;
            recovery = new RebuildReport.Recovery(config.recovery(), validationBefore, testBefore,
                    Scores.of(masked, data.validation(), data.regression()),
                    Scores.of(masked, data.test(), data.regression()),
                    PairedComparison.of(base, masked, data.test(), data.regression()), seconds);
        }
        List<RebuildReport.LayerSparsity> layers = new ArrayList<>();
        long weights = 0;
        long zeros = 0;
        for (PrunableLayout.Segment s : layout.segments()) {
            for (String layer : s.producers()) {
                INDArray w = masked.param(layer, "W");
                long n = w.length();
                long z = n - w.neq(0).castTo(DataType.LONG).sumNumber().longValue();
                layers.add(new RebuildReport.LayerSparsity(layer, n, z, z / (double) n));
                weights += n;
                zeros += z;
            }
        }
        RebuildReport.Sparsity sparsity = new RebuildReport.Sparsity(weights, zeros, zeros / (double) weights, layers);
        RebuildReport report = new RebuildReport(layout.granularity().configName(), mask.keptFraction(), false,
                "No dense rebuild: " + why + ".", Double.NaN, Double.NaN, Double.NaN, List.of(),
                sparsity, recovery, null, null, null, machine());
        run.writeModel(MASKED_MODEL, masked, normalizer);
        StringBuilder summary = new StringBuilder(report.note()).append('\n');
        if (recovery != null) {
            summary.append(recoveryLine(report, input));
        }
        summary.append(String.format(Locale.ROOT, "%-16s %12s %12s %9s%n", "layer", "weights", "zeros", "sparsity"));
        for (RebuildReport.LayerSparsity l : layers) {
            summary.append(String.format(Locale.ROOT, "%-16s %,12d %,12d %8.1f%%%n", l.layer(), l.weights(), l.zeros(),
                    100 * l.fraction()));
        }
        summary.append(String.format(Locale.ROOT, "%-16s %,12d %,12d %8.1f%%%n", "all masked", weights, zeros,
                100 * sparsity.fraction()));
        summary.append("The masked network is exported as ").append(MASKED_MODEL).append(".\n");
        finish(report, summary.toString());
        return new Exported(report, masked, MASKED_MODEL);
    }

    private static String recoveryLine(RebuildReport r, String input) {
        RebuildReport.Recovery recovery = r.recovery();
        boolean regression = recovery.testBefore().regression();
        ToDoubleFunction<Scores> value = regression ? Scores::mse : Scores::accuracy;
        return String.format(Locale.ROOT, "recovery (%d epoch%s, lr %s): test %s %.4f -> %.4f, validation %.4f"
                        + " -> %.4f%n", recovery.settings().epochs(), recovery.settings().epochs() == 1 ? "" : "s",
                recovery.settings().learningRate(),
                regression ? "mse" : "accuracy",
                value.applyAsDouble(recovery.testBefore()), value.applyAsDouble(recovery.testAfter()),
                value.applyAsDouble(recovery.validationBefore()), value.applyAsDouble(recovery.validationAfter()))
                + worseAfterRecovery(recovery, regression, value)
                + (recovery.testAgainstBase() == null ? ""
                : "recovered vs " + input + " on the test set, paired: " + recovery.testAgainstBase().describe(input)
                + "\n");
    }

    /**
     * A warning when recovery made the validation score worse: the exported model is the recovered one, and on
     * small fine-tune sets one more epoch can cost more than it mends. Judged on validation, never on the test.
     */
    private static String worseAfterRecovery(RebuildReport.Recovery recovery, boolean regression,
                                             ToDoubleFunction<Scores> value) {
        double before = value.applyAsDouble(recovery.validationBefore());
        double after = value.applyAsDouble(recovery.validationAfter());
        if (!(regression ? after > before : after < before)) {
            return "";
        }
        return String.format(Locale.ROOT, "warning: recovery made validation %s worse (%.4f -> %.4f), and the recovered"
                + " network is the one exported: %s=0 exports it as searched, or lower %s (now %s)%n",
                regression ? "mse" : "accuracy", before, after, RebuildKeys.REBUILD_RECOVERY_EPOCHS.name(),
                RebuildKeys.REBUILD_RECOVERY_LR.name(), recovery.settings().learningRate());
    }

    private void finish(RebuildReport report, String summary) throws IOException {
        run.writeText(SUMMARY, summary);
        run.writeJson(REPORT, report);
        // The file's blank separator lines would print as a bare "evoprune: ": the console leaves them out.
        summary.lines().filter(l -> !l.isBlank()).forEach(l -> console.println("evoprune: " + l));
    }

    /** Latency and memory do not depend on the values, so a small test set is repeated up to the batch size. */
    private static INDArray atLeastRows(INDArray features, int rows) {
        INDArray x = features;
        while (x.size(0) < rows) {
            x = Nd4j.concat(0, x, features);
        }
        return x;
    }

    private static String table(RebuildReport r, String input) {
        Footprint b = r.base();
        Footprint n = r.rebuilt();
        RebuildReport.Gains g = r.gains();
        StringBuilder sb = new StringBuilder("\n");
        double difference = r.equivalenceMaxAbsDifference();
        sb.append(String.format(Locale.ROOT, "equivalence: max |rebuilt - masked| on the test set = %s; %s%n",
                difference == 0 ? "0" : String.format(Locale.ROOT, "%.3g", difference),
                Equivalence.describeBound(r.equivalenceScale())));
        if (r.recovery() != null) {
            sb.append(recoveryLine(r, input));
        }
        sb.append(String.format(Locale.ROOT, "%-30s %14s %14s %12s%n", "measure", "base", "rebuilt", "base/rebuilt"));
        row(sb, "parameters", b.parameters(), n.parameters(), g.parameters());
        row(sb, "multiply-adds per example", b.multiplyAdds(), n.multiplyAdds(), g.multiplyAdds());
        // Measured without updater state, as deployed; hence smaller than the zips in the run directory (docs/rebuild.md).
        row(sb, "model file bytes (no updater)", b.fileBytes(), n.fileBytes(), g.fileSize());
        latency(sb, "latency batch 1 (ms)", b.latencyBatch1Ms(), n.latencyBatch1Ms());
        latency(sb, "  fastest run (ms)", b.latencyBatch1MinMs(), n.latencyBatch1MinMs());
        latency(sb, "latency batch " + b.batch() + " (ms)", b.latencyBatchNMs(), n.latencyBatchNMs());
        latency(sb, "  fastest run (ms)", b.latencyBatchNMinMs(), n.latencyBatchNMinMs());
        row(sb, "peak inference bytes", b.peakInferenceBytes(), n.peakInferenceBytes(), g.peakMemory());
        sb.append(String.format(Locale.ROOT, "(latency: median of %d runs after warm-up, %s, %d ND4J thread(s); "
                + "memory: ND4J off-heap parameters + activation workspaces + input/output at batch %d)%n",
                b.repeats(), r.machine().cpu(), r.machine().nd4jThreads(), b.batch()));
        return sb.toString();
    }

    private static void latency(StringBuilder sb, String what, double base, double rebuilt) {
        sb.append(String.format(Locale.ROOT, "%-30s %14.3f %14.3f %11.2fx%n", what, base, rebuilt, base / rebuilt));
    }

    private static void row(StringBuilder sb, String what, long base, long rebuilt, double ratio) {
        sb.append(String.format(Locale.ROOT, "%-30s %,14d %,14d %11.2fx%n", what, base, rebuilt, ratio));
    }

    static RebuildReport.Machine machine() {
        String cpu = System.getProperty("os.arch");
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux: the architecture name has to do.
            cpu = System.getProperty("os.arch");
        }
        return new RebuildReport.Machine(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_INSTANT),
                System.getProperty("os.name") + " " + System.getProperty("os.version"), cpu,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                Nd4j.getBackend().getClass().getSimpleName(), Nd4j.getEnvironment().maxThreads());
    }
}
