package io.evoprune.job;

import io.evoprune.baseline.BaselineRow;
import io.evoprune.baseline.Baselines;
import io.evoprune.config.RunConfig;
import io.evoprune.config.StrategyConfig;
import io.evoprune.data.DataSplits;
import io.evoprune.evaluation.Candidate;
import io.evoprune.evaluation.MaskEvaluator;
import io.evoprune.evaluation.Scores;
import io.evoprune.evaluation.Workload;
import io.evoprune.data.Normalization;
import io.evoprune.farm.SparkSetup;
import io.evoprune.mask.Mask;
import io.evoprune.report.MaskReport;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.model.NativeThreads;
import io.evoprune.model.Network;
import io.evoprune.model.NetworkBlueprint;
import io.evoprune.report.RunDirectory;
import io.evoprune.search.FineTuneSeed;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.nd4j.linalg.dataset.DataSet;

/**
 * {@code evoprune baseline}: the classic pruners alone, on the driver (each is one fine-tune), at one kept
 * fraction with the run's fine-tune budget; optionally against a mask a search found (its best-mask.json),
 * fine-tuned with the same budget and seed rule. Writes baselines.md and baselines.json to a run directory.
 */
public final class BaselineJob {
    private final RunConfig config;
    private final PrintStream console;

    public BaselineJob(RunConfig config, PrintStream console) {
        this.config = config;
        this.console = console;
    }

    /**
     * @param maskFile a run's best-mask.json to compare against, or null
     * @param report   that file as {@link MaskFile#read} read it (null with it)
     */
    public Path run(String maskFile, MaskReport report) throws IOException {
        NativeThreads.limit(config.threads());
        StrategyConfig strategy;
        try {
            strategy = StrategyConfig.from(config.settings());
        } catch (IllegalArgumentException e) { // a baseline.*, racing.* or strategy key's value
            throw new BadInputException(e.getMessage(), e);
        }
        Configuration hadoop = SparkSetup.hadoopConfiguration();
        RunInputs inputs = RunInputs.read(config, console, config.model().pretrained() ? config.model().path() : null,
                hadoop);
        DataSplits splits = inputs.splits();
        PrunableLayout layout = inputs.layout();
        byte[] normalizer = inputs.normalizer();
        if (config.data().regression()) {
            throw new BadInputException("evoprune baseline compares accuracies; the data at " + config.data().path()
                    + " is regression");
        }
        Network base = inputs.base();
        PruningJob.requireImportance("evoprune baseline", inputs, List.of(), strategy.baselines());
        // Checked before anything is written or pretrained: a built-in base by its untrained network's shapes.
        Mask searchMask = report == null ? null : MaskFile.check(report, maskFile, layout,
                base != null ? base : Network.init(inputs.architecture()),
                base != null ? config.model().path() : "built-in " + config.model().architecture());
        RunDirectory run;
        try {
            run = RunDirectory.create(PruningJob.runLocation(config), hadoop);
        } catch (IOException e) {
            // the location is the user's choice: an existing, unwritable or non-folder path is bad input
            throw new BadInputException(e.getMessage(), e);
        }
        run.writeConfiguration(config.settings());
        if (normalizer != null) {
            run.writeBytes(PruningJob.NORMALIZER_FILE, normalizer);
        }
        console.println("evoprune: run directory " + run.path());
        if (base == null) {
            base = inputs.pretrain(config, console);
            run.writeModel(PruningJob.BASE_MODEL, base, normalizer);
        }
        DataSet fineTune = Normalization.apply(normalizer, splits.fineTune().toDataSet());
        DataSet validation = Normalization.apply(normalizer, splits.validation().toDataSet());
        DataSet test = Normalization.apply(normalizer, splits.test().toDataSet());
        double baseValidation = Scores.of(base, validation).accuracy();
        double baseTest = Scores.of(base, test).accuracy();
        console.printf(Locale.ROOT, "evoprune: base validation accuracy %.4f, test accuracy %.4f%n", baseValidation,
                baseTest);

        Workload workload = new Workload(NetworkBlueprint.of(base), splits.fineTune(), splits.validation(), layout,
                config.fineTune(), config.fitness(), config.threads(), normalizer);
        Baselines baselines = new Baselines(strategy, base, workload, fineTune, validation, test,
                config.search().seed(), console);
        double keep = strategy.baselineKeep() > 0 ? strategy.baselineKeep()
                : searchMask != null ? searchMask.keptFraction() : config.fitness().targetKeptFraction();
        List<BaselineRow> rows = new ArrayList<>();
        if (searchMask != null) {
            long start = System.nanoTime();
            MaskEvaluator.Trained trained = MaskEvaluator.fineTune(workload,
                    new Candidate(0, searchMask, FineTuneSeed.of(config.search().seed(), searchMask)));
            rows.add(baselines.searchRow("search mask (" + new Path(maskFile).getName() + ")", searchMask, trained.network(),
                    (System.nanoTime() - start) / 1e9));
        }
        // By fitness.size, the pruners match the mask's share, else the fitness target, which that share is of.
        Mask mask = searchMask;
        String matched = StrategyReports.runPruners(baselines, strategy, config, keep, () -> mask != null
                ? baselines.sizeFraction(mask) : config.fitness().targetKeptFraction(), mask != null ? "the mask's"
                : "fitness.target-kept-fraction's", rows);
        StrategyReports.writeTable(run, rows, baseValidation, baseTest, config, splits.fineTune().size(), matched,
                console);
        run.complete();
        console.println("evoprune: outputs in " + run.path());
        return run.path();
    }
}
