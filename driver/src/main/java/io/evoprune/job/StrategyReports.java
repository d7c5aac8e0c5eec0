package io.evoprune.job;

import io.evoprune.baseline.BaselineRow;
import io.evoprune.baseline.Baselines;
import io.evoprune.config.RunConfig;
import io.evoprune.config.StrategyConfig;
import io.evoprune.model.Network;
import io.evoprune.evaluation.Fitness;
import io.evoprune.evaluation.Workload;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.report.ParetoReport;
import io.evoprune.report.Percent;
import io.evoprune.report.RunDirectory;
import io.evoprune.search.SearchResult;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.dataset.DataSet;

/** The strategy-specific outputs of a run: pareto.json, racing.json and the baseline table. */
final class StrategyReports {
    private StrategyReports() {
    }

    /** The run's data as the network reads it (normalised): the fine-tune set, validation and test. */
    record Data(DataSet fineTune, DataSet validation, DataSet test) {
    }

    static void write(RunDirectory run, StrategySearch.Outcome outcome, double chosenTestAccuracy, PrunableLayout layout,
                      PrintStream console) throws IOException {
        if (!outcome.front().isEmpty()) {
            run.writeJson("pareto.json", ParetoReport.of(outcome.front(), outcome.chosen(), chosenTestAccuracy, layout,
                    outcome.fullyEvaluated()));
            console.printf(Locale.ROOT, "evoprune: Pareto front of %d masks written to pareto.json; exported: %s%n",
                    outcome.front().size(), outcome.picked());
        }
        if (outcome.racing() != null) {
            var r = outcome.racing();
            run.writeJson("racing.json", r);
            console.printf(Locale.ROOT, "evoprune: racing promoted %d of %d candidates; %.1f evaluation-s spent"
                            + " (%.1f short + %.1f full) vs %.1f estimated for full evaluation of all: %s%n",
                    r.promoted(), r.candidates(), r.shortSeconds() + r.fullSeconds(), r.shortSeconds(),
                    r.fullSeconds(), r.estimatedAllFullSeconds(), racingVerdict(r.saving()));
        }
    }

    /** Where each evaluation's fixed cost outweighs the batches racing skips, racing costs more: said plainly. */
    static String racingVerdict(double saving) {
        return saving >= 0 ? String.format(Locale.ROOT, "%.0f%% saved", 100 * saving)
                : String.format(Locale.ROOT, "%.0f%% more (racing pays where finetune.max-batches is many times"
                + " racing.short-batches)", -100 * saving);
    }

    /** Runs the baselines at the search's kept fraction (or the configured one) and writes the table. */
    static List<BaselineRow> baselines(RunDirectory run, StrategyConfig strategy, RunConfig config,
                                       Network base, Workload workload, Data data,
                                       SearchResult result, Network searchNetwork, double baseValidation,
                                       double baseTest, PrintStream console) throws IOException {
        double keep = strategy.baselineKeep() > 0 ? strategy.baselineKeep() : result.bestMask().keptFraction();
        Baselines baselines = new Baselines(strategy, base, workload, data.fineTune(), data.validation(), data.test(),
                config.search().seed(), console);
        List<BaselineRow> rows = new ArrayList<>();
        rows.add(baselines.searchRow("search (" + strategy.strategy().name().toLowerCase(Locale.ROOT) + ")",
                result.bestMask(), searchNetwork, result.seconds()));
        String matched = runPruners(baselines, strategy, config, keep, () -> result.best().sizeFraction(),
                "the search's", rows);
        writeTable(run, rows, baseValidation, baseTest, config, data.fineTune().numExamples(), matched, console);
        return rows;
    }

    /**
     * Adds the dense row and every pruner's row to {@code rows}: at {@code keep} of the units or, when the fitness
     * measured size otherwise and baseline.kept-fraction is not set, each at the kept share by fitness.size that
     * {@code sizeTarget} gives ({@code targetName}: whose share it is, for the note). Returns the table's note on
     * that match, null when the pruners kept units.
     */
    static String runPruners(Baselines baselines, StrategyConfig strategy, RunConfig config, double keep,
                             java.util.function.DoubleSupplier sizeTarget, String targetName, List<BaselineRow> rows) {
        rows.add(baselines.dense());
        Fitness.Size size = config.fitness().size();
        if (strategy.baselineKeep() > 0 || size == Fitness.Size.UNITS) {
            rows.addAll(baselines.run(keep));
            return null;
        }
        double target = sizeTarget.getAsDouble();
        rows.addAll(baselines.runAtSize(target));
        return String.format(Locale.ROOT, "Every pruner keeps the share of the base's %s nearest to %s %s"
                + " (fitness.size=%s) that whole units allow", size == Fitness.Size.FLOPS ? "multiply-adds" : "parameters",
                targetName, Percent.of(target), size.configName());
    }

    /** @param matched what the pruners' size was matched to when not the kept units, else null */
    static void writeTable(RunDirectory run, List<BaselineRow> rows, double baseValidation, double baseTest,
                           RunConfig config, int fineTuneExamples, String matched, PrintStream console)
            throws IOException {
        var ft = config.fineTune();
        String budget = String.format(Locale.ROOT, "%d epoch(s)%s of %,d examples, batch %d, learning rate %s",
                ft.epochs(), ft.maxBatches() > 0 ? " capped at " + ft.maxBatches() + " batches" : "",
                fineTuneExamples, ft.batchSize(), ft.learningRate());
        String table = Baselines.markdown(rows, baseValidation, baseTest, matched == null ? budget
                : budget + ". " + matched);
        run.writeJson("baselines.json", rows);
        run.writeText("baselines.md", table);
        console.print(table);
    }
}
