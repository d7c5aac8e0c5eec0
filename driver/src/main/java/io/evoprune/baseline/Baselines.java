package io.evoprune.baseline;

import io.evoprune.config.StrategyConfig;
import io.evoprune.config.StrategyConfig.Baseline;
import io.evoprune.evaluation.Candidate;
import io.evoprune.evaluation.MaskEvaluator;
import io.evoprune.evaluation.PairedComparison;
import io.evoprune.evaluation.Scores;
import io.evoprune.evaluation.Workload;
import io.evoprune.importance.Criterion;
import io.evoprune.importance.Importance;
import io.evoprune.importance.MaskRules;
import io.evoprune.importance.UnitScores;
import io.evoprune.mask.Mask;
import io.evoprune.mask.MaskApplier;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.mask.Seeds;
import io.evoprune.model.Flops;
import io.evoprune.pruning.GradualPruning;
import io.evoprune.pruning.GreedyLayerPruning;
import io.evoprune.pruning.IterativePruning;
import io.evoprune.pruning.Pruned;
import io.evoprune.search.FineTuneSeed;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import io.evoprune.model.Network;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The classic pruners, each to the same kept fraction and each given the same fine-tune budget as one search
 * evaluation, scored on validation and test. Pruners that only choose a mask (magnitude, threshold, L1,
 * Taylor, activation, APoZ, random, greedy) are fine-tuned by the very code that evaluates the search's
 * candidates ({@link MaskEvaluator#fineTune}) with the same per-mask seed; pruners that train while they prune
 * (iterative, gradual) spend that budget inside their own schedule.
 */
public final class Baselines {
    private static final long BASELINE_STREAM = 7;
    /** The method name of {@link #dense()}'s row. */
    public static final String DENSE = "dense (nothing pruned)";

    private final StrategyConfig config;
    private final Network base;
    private final Workload workload;
    private final DataSet fineTune;
    private final DataSet sample;
    private final DataSet validation;
    private final DataSet test;
    private final long runSeed;
    private final PrintStream console;
    private final Flops flops;
    private final java.util.Map<Criterion, UnitScores> scores = new java.util.EnumMap<>(Criterion.class);
    /** The search's network, once its row is scored: every pruner's row is then tested against it. */
    private Network search;

    public Baselines(StrategyConfig config, Network base, Workload workload, DataSet fineTune,
                     DataSet validation, DataSet test, long runSeed, PrintStream console) {
        this.config = config;
        this.base = base;
        this.workload = workload;
        this.fineTune = fineTune;
        this.sample = ImportanceSample.of(fineTune, config.importanceExamples(), runSeed);
        this.validation = validation;
        this.test = test;
        this.runSeed = runSeed;
        this.console = console;
        this.flops = Flops.of(base, workload.featureShape());
    }

    /** Runs every configured pruner at {@code keep} (fraction of prunable units kept), in the configured order. */
    public List<BaselineRow> run(double keep) {
        return run(method -> keep);
    }

    /**
     * Runs every configured pruner at the kept fraction of units that brings its mask nearest to {@code sizeFraction}
     * of the base as the fitness measures size ({@code fitness.size}: parameters or multiply-adds), so that a search
     * aimed at inference cost is compared with pruners at the same cost rather than the same unit count.
     */
    public List<BaselineRow> runAtSize(double sizeFraction) {
        return run(method -> keepFor(method, sizeFraction));
    }

    /** The kept share of {@code mask} by {@code fitness.size}, the measure the search's fitness used. */
    public double sizeFraction(Mask mask) {
        long kept = workload.fitness().size() == io.evoprune.evaluation.Fitness.Size.PARAMETERS
                ? MaskApplier.keptParameters(MaskApplier.parameterMask(base, layout(), mask)) : 0;
        return workload.sizeFraction(mask, kept);
    }

    /**
     * Bisection over the kept fraction of units for the one whose mask comes nearest to {@code target} by
     * {@link #sizeFraction}. Per-layer pruners keep round(k * units) of every layer, and a layer's units all cost
     * the same, so their size depends on k alone: magnitude-layer stands for those that train or measure as they
     * prune (iterative, gradual-l1, greedy-layer).
     */
    double keepFor(Baseline method, double target) {
        Baseline chooser = switch (method) {
            case ITERATIVE, GRADUAL_L1, GREEDY_LAYER -> Baseline.MAGNITUDE_LAYER;
            default -> method;
        };
        double lo = 0;
        double hi = 1;
        double best = 1;
        double bestGap = Double.MAX_VALUE;
        for (int i = 0; i < 20; i++) {
            double k = (lo + hi) / 2;
            double size = sizeFraction(mask(chooser, k));
            if (Math.abs(size - target) < bestGap) {
                bestGap = Math.abs(size - target);
                best = k;
            }
            if (size > target) {
                hi = k;
            } else {
                lo = k;
            }
        }
        return best;
    }

    /**
     * The base with nothing pruned, given the same fine-tune budget as every pruner: what that training alone
     * reaches, so that a pruner's gain over the untrained base is not read as pruning's.
     */
    public BaselineRow dense() {
        long start = System.nanoTime();
        Mask all = Mask.allKept(layout().units());
        return printed(score(DENSE, fineTuned(all), start));
    }

    private List<BaselineRow> run(java.util.function.ToDoubleFunction<Baseline> keepOf) {
        List<BaselineRow> rows = new ArrayList<>();
        for (Baseline method : config.baselines()) {
            long start = System.nanoTime();
            double keep = keepOf.applyAsDouble(method);
            Pruned pruned = switch (method) {
                case ITERATIVE -> IterativePruning.run(base, layout(), fineTune, workload.fineTune(), keep,
                        config.iterativeSteps(), Seeds.derive(runSeed, BASELINE_STREAM, method.ordinal()));
                case GRADUAL_L1 -> GradualPruning.run(base, layout(), fineTune, workload.fineTune(), keep,
                        config.l1(), Seeds.derive(runSeed, BASELINE_STREAM, method.ordinal()));
                default -> fineTuned(mask(method, keep));
            };
            rows.add(printed(score(method.configName(), pruned, start)));
        }
        return rows;
    }

    private Pruned fineTuned(Mask mask) {
        return new Pruned(mask, MaskEvaluator.fineTune(workload,
                new Candidate(0, mask, FineTuneSeed.of(runSeed, mask))).network());
    }

    private BaselineRow printed(BaselineRow row) {
        console.printf(Locale.ROOT, "evoprune: baseline %-22s kept %.3f  validation %.4f  test %.4f  (%.1f s)%n",
                row.method(), row.keptFraction(), row.validationAccuracy(), row.testAccuracy(), row.seconds());
        return row;
    }

    /** The mask a mask-only pruner chooses at {@code keep}. */
    Mask mask(Baseline method, double keep) {
        return switch (method) {
            case MAGNITUDE_GLOBAL -> MaskRules.topGlobal(scores(Criterion.MAGNITUDE), layout(), keep);
            case MAGNITUDE_LAYER -> MaskRules.topPerLayer(scores(Criterion.MAGNITUDE), layout(), keep);
            case THRESHOLD -> threshold(scores(Criterion.MAGNITUDE), keep);
            case L1 -> MaskRules.topPerLayer(scores(Criterion.L1), layout(), keep);
            case TAYLOR -> MaskRules.topPerLayer(scores(Criterion.TAYLOR), layout(), keep);
            case ACTIVATION -> MaskRules.topPerLayer(scores(Criterion.ACTIVATION), layout(), keep);
            case APOZ -> MaskRules.topPerLayer(scores(Criterion.APOZ), layout(), keep);
            case RANDOM -> MaskRules.topPerLayer(scores(Criterion.RANDOM), layout(), keep);
            case GREEDY_LAYER -> GreedyLayerPruning.mask(base, layout(), sample, keep);
            case ITERATIVE, GRADUAL_L1 -> throw new IllegalArgumentException(method.configName() + " trains as it prunes");
        };
    }

    private Mask threshold(UnitScores magnitude, double keep) {
        if (!Double.isNaN(config.thresholdK())) {
            return MaskRules.threshold(magnitude, layout(), config.thresholdK());
        }
        // auto: the k (on a 0.01 grid over [-3, 3]) whose mask's kept fraction is closest to the target.
        Mask best = null;
        for (int i = -300; i <= 300; i++) {
            Mask m = MaskRules.threshold(magnitude, layout(), i / 100.0);
            if (best == null || Math.abs(m.keptFraction() - keep) < Math.abs(best.keptFraction() - keep)) {
                best = m;
            }
        }
        return best;
    }

    /** Each criterion's scores, computed once (they are seeded, so a second computation would be the same). */
    private UnitScores scores(Criterion criterion) {
        return scores.computeIfAbsent(criterion, c -> Importance.score(c, base, layout(), sample,
                workload.fineTune().batchSize(), Seeds.derive(runSeed, BASELINE_STREAM, 100 + c.ordinal())));
    }

    /** The search's own row; the pruners' rows scored after it are compared with its network on the test split. */
    public BaselineRow searchRow(String method, Mask mask, Network network, double seconds) {
        search = network;
        return score(method, mask, network, seconds, null);
    }

    private BaselineRow score(String method, Mask mask, Network network, double seconds, PairedComparison vsSearch) {
        return new BaselineRow(method, mask.keptFraction(), mask.keptCount(),
                MaskApplier.keptParameters(MaskApplier.parameterMask(network, layout(), mask)),
                flops.flops(MaskApplier.parameterMask(base, layout(), mask)),
                Scores.of(network, validation).accuracy(), Scores.of(network, test).accuracy(), seconds, vsSearch);
    }

    private BaselineRow score(String method, Pruned pruned, long startNanos) {
        return score(method, pruned.mask(), pruned.network(), (System.nanoTime() - startNanos) / 1e9,
                search == null ? null : PairedComparison.of(search, pruned.network(), test, false));
    }

    private PrunableLayout layout() {
        return workload.layout();
    }

    /** The table as Markdown, one row per method. */
    public static String markdown(List<BaselineRow> rows, double baseValidation, double baseTest, String budget) {
        boolean search = rows.stream().anyMatch(r -> r.testAgainstSearch() != null);
        StringBuilder sb = new StringBuilder(search ? "# Search against the classic pruners\n\n" : "# The classic pruners\n\n")
                .append(String.format(Locale.ROOT, "Dense base: validation %.4f, test %.4f. Fine-tune budget of every row: %s.%n%n",
                        baseValidation, baseTest, budget))
                .append("| method | kept fraction | kept units | parameters | FLOPs/example | validation acc | test acc |"
                        + (search ? " test acc vs search (McNemar p) |" : "") + " seconds |\n")
                .append(search ? "|---|---|---|---|---|---|---|---|---|\n" : "|---|---|---|---|---|---|---|---|\n");
        for (BaselineRow r : rows) {
            PairedComparison c = r.testAgainstSearch();
            String vsSearch = !search ? "" : " " + (c == null ? "" : String.format(Locale.ROOT, "%+.4f (p %.2g)",
                    c.difference(), c.pValue())) + " |";
            sb.append(String.format(Locale.ROOT, "| %s | %.3f | %d | %,d | %,d | %.4f | %.4f |%s %.1f |%n", r.method(),
                    r.keptFraction(), r.keptUnits(), r.parametersKept(), r.flops(), r.validationAccuracy(),
                    r.testAccuracy(), vsSearch, r.seconds()));
        }
        sb.append("\nFLOPs/example: inference cost of one example, 2 per multiply-add (rebuild.json and the rebuild's"
                + " console table count multiply-adds).\n");
        if (rows.stream().anyMatch(r -> r.method().equals(DENSE))) {
            sb.append("\n" + DENSE + ": every unit kept, given the same fine-tune budget: what that training alone"
                    + " makes of the dense base above. Read the pruners against it.\n");
        }
        if (search) {
            sb.append("\nvs search: the pruner's test accuracy minus the search's, and McNemar's exact p-value on the test"
                    + " examples only one of the two networks gets right (below 0.05: a difference the test set shows)."
                    + " The search chose its mask on this validation set out of every candidate it scored, so its"
                    + " validation accuracy reads high; the test columns are the fair comparison.\n");
        }
        return sb.toString();
    }
}
