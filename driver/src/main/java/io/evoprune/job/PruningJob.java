package io.evoprune.job;

import io.evoprune.checkpoint.CheckpointStore;
import io.evoprune.checkpoint.ResumeSettings;
import io.evoprune.config.DataKeys;
import io.evoprune.config.EvaluationKeys;
import io.evoprune.config.ModelKeys;
import io.evoprune.config.OutputKeys;
import io.evoprune.config.RunConfig;
import io.evoprune.config.StrategyConfig;
import io.evoprune.config.StrategyKeys;
import io.evoprune.data.DataSplits;
import io.evoprune.data.Normalization;
import io.evoprune.evaluation.Candidate;
import io.evoprune.evaluation.Fitness;
import io.evoprune.evaluation.MaskEvaluator;
import io.evoprune.evaluation.Metric;
import io.evoprune.evaluation.PairedComparison;
import io.evoprune.evaluation.Scores;
import io.evoprune.evaluation.Workload;
import io.evoprune.farm.EvaluationCounters;
import io.evoprune.farm.EvaluationFunction;
import io.evoprune.farm.SparkEvaluationFarm;
import io.evoprune.farm.SparkSetup;
import io.evoprune.importance.Criterion;
import io.evoprune.importance.Importance;
import io.evoprune.mask.Granularity;
import io.evoprune.mask.Mask;
import io.evoprune.mask.MaskRepair;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.model.Flops;
import io.evoprune.model.NativeThreads;
import io.evoprune.model.Network;
import io.evoprune.model.NetworkBlueprint;
import io.evoprune.model.Trainer;
import io.evoprune.rebuild.Recovery;
import io.evoprune.report.HtmlReport;
import io.evoprune.report.MaskReport;
import io.evoprune.report.Percent;
import io.evoprune.report.ProgressLine;
import io.evoprune.report.RebuildReport;
import io.evoprune.report.ReportInputs;
import io.evoprune.report.RunDirectory;
import io.evoprune.report.RunJson;
import io.evoprune.report.RunSummary;
import io.evoprune.search.FailureBudget;
import io.evoprune.search.GeneticSearch;
import io.evoprune.search.SearchResult;
import io.evoprune.search.SearchState;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A whole search run, in the order it happens: check the inputs ({@link RunInputs}), get the base network, evolve
 * masks on Spark, then fine-tune the best mask once more and report it against the base on validation and test.
 */
public final class PruningJob {
    /** The fitted feature normaliser, in ND4J's NormalizerSerializer format (NormalizerSerializer.getDefault().restore). */
    public static final String NORMALIZER_FILE = "normalizer.bin";
    public static final String BASE_MODEL = "base-model.zip";
    /** The digest of each part of the inputs the checkpoints were scored on, to name what changed (Workload). */
    static final String INPUTS_FILE = CheckpointStore.FOLDER + "/inputs.json";
    public static final String PRUNED_MODEL = "pruned-model.zip";

    private final RunConfig config;
    private final PrintStream console;
    private final EvaluationFunction evaluation;

    public PruningJob(RunConfig config, PrintStream console) {
        this(config, console, EvaluationFunction.MASK_EVALUATOR);
    }

    /** A job whose Spark tasks run {@code evaluation}; anything but the mask evaluator is for fault tests. */
    PruningJob(RunConfig config, PrintStream console, EvaluationFunction evaluation) {
        this.config = config;
        this.console = console;
        this.evaluation = evaluation;
    }

    /** Runs the search in a new run directory and returns where its outputs are. */
    public Path run(SparkConf sparkConf) throws IOException {
        NativeThreads.limit(config.threads());

        // 1. Inputs: everything is read and checked before a run directory exists or a Spark job starts.
        requireMaster(sparkConf);
        // The driver's files as Spark's own would be read: spark.hadoop.* of this configuration applied.
        Configuration hadoop = SparkSetup.hadoopConfiguration(sparkConf);
        RunInputs inputs = RunInputs.read(config, console, config.model().pretrained() ? config.model().path() : null,
                hadoop);
        StrategyConfig strategy = strategy(inputs, false);
        RunDirectory run;
        try {
            run = RunDirectory.create(runLocation(config), hadoop);
        } catch (IOException e) {
            // the location is the user's choice: an existing, unwritable or non-folder path is bad input
            throw new BadInputException(e.getMessage(), e);
        }
        run.writeConfiguration(config.settings());
        if (inputs.normalizer() != null) {
            run.writeBytes(NORMALIZER_FILE, inputs.normalizer());
        }
        console.println("evoprune: run directory " + run.path());
        return search(sparkConf, run, inputs, strategy, null);
    }

    /**
     * Continues the interrupted run at {@code location} from its newest checkpoint (or from generation 0 if it
     * stopped before the first one) and returns where its outputs are. The job's configuration must be the run's
     * own (see {@link io.evoprune.checkpoint.ResumeSettings}); the result is the one an uninterrupted run reaches.
     */
    public Path resume(SparkConf sparkConf, String location) throws IOException {
        NativeThreads.limit(config.threads());

        // 1. Inputs, the run's base network and its checkpoint: all checked before anything is written.
        requireMaster(sparkConf);
        Configuration hadoop = SparkSetup.hadoopConfiguration(sparkConf);
        RunDirectory run = ResumeSettings.reopen(location, hadoop);
        String model = config.model().pretrained() ? config.model().path()
                : run.exists(BASE_MODEL) ? run.file(BASE_MODEL).toString() : null;
        RunInputs inputs = RunInputs.resumed(config, console, model, run, hadoop);
        StrategyConfig strategy = strategy(inputs, true);
        // What to restore when the checkpoint's masks do not fit the network: where the network came from.
        String network = config.model().pretrained() ? "the model file at " + ModelKeys.MODEL_PATH.name() + " ("
                + model + ")" : model != null ? "the run's " + BASE_MODEL + " (" + model + ")"
                : "the data at " + DataKeys.DATA_PATH.name() + " (" + config.data().path() + ")";
        SearchState from = new CheckpointStore(run.file(CheckpointStore.FOLDER), hadoop, config.settings())
                .latest(inputs.layout(), config.search().population(), network).orElse(null);
        console.println("evoprune: resuming run " + run.path() + (from == null
                ? " from the start (it stopped before its first checkpoint)"
                : " after generation " + from.generation() + " of " + config.search().generations()));
        return search(sparkConf, run, inputs, strategy, from);
    }

    /**
     * The search-strategy settings, refused here, before anything is written, where combined with what they do
     * not support: NSGA-II and racing keep no checkpoint state (their archive, front and racing ledger), so such
     * runs cannot be resumed; unit criteria and pruners do not take single weights; baselines report accuracy;
     * FLOPs objectives need layers whose multiply-adds are counted.
     */
    private StrategyConfig strategy(RunInputs inputs, boolean resuming) {
        StrategyConfig strategy;
        try {
            strategy = StrategyConfig.from(config.settings());
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        if (resuming && strategy.strategy() == StrategyConfig.Strategy.NSGA2) {
            throw new BadInputException(StrategyKeys.SEARCH_STRATEGY.name() + "=nsga2 runs keep no checkpoints and"
                    + " cannot be continued with --resume; start a new run");
        }
        if (resuming && strategy.racing()) {
            throw new BadInputException("Runs with racing (" + StrategyKeys.RACING_SHORT_BATCHES.name()
                    + " > 0) cannot be continued with --resume: the racing ledger is not checkpointed; start a new run");
        }
        String uses = strategy.seededFraction() > 0 ? StrategyKeys.INIT_FRACTION.name() + " > 0"
                : strategy.baselineReport() ? StrategyKeys.BASELINE_REPORT.name() + "=true" : null;
        if (uses != null) {
            requireImportance(uses, inputs, strategy.seededFraction() > 0 ? strategy.seedCriteria() : List.of(),
                    strategy.baselineReport() ? strategy.baselines() : List.of());
        }
        if (strategy.racing()) {
            StrategySearch.requireRacingSaves(inputs.fineTune(), strategy, inputs.splits().fineTune().size());
        }
        if (strategy.strategy() == StrategyConfig.Strategy.NSGA2 && config.data().regression()) {
            throw new BadInputException(StrategyKeys.SEARCH_STRATEGY.name() + "=nsga2 trades validation accuracy"
                    + " against size; the data is regression (" + DataKeys.DATA_TASK.name() + "), which has no"
                    + " accuracy: use search.strategy=genetic with fitness.metric=r2, mse or mae");
        }
        List<String> frozen = config.rebuild().enabled() ? config.rebuild().recovery().frozenLayers() : List.of();
        if (!frozen.isEmpty()) {
            try {
                Recovery.checkFrozen(inputs.base() != null ? inputs.base() : Network.init(inputs.architecture()), frozen);
            } catch (IllegalArgumentException e) {
                throw new BadInputException(e.getMessage(), e);
            }
        }
        if (strategy.baselineReport() && config.data().regression()) {
            throw new BadInputException(StrategyKeys.BASELINE_REPORT.name() + "=true compares accuracies;"
                    + " the data is regression");
        }
        List<String> flops = new java.util.ArrayList<>();
        if (config.fitness().size() == Fitness.Size.FLOPS) {
            flops.add(EvaluationKeys.FITNESS_SIZE.name() + "=flops");
        }
        if (strategy.strategy() == StrategyConfig.Strategy.NSGA2
                && strategy.sizeObjective() == StrategyConfig.SizeObjective.FLOPS) {
            flops.add(StrategyKeys.NSGA2_SIZE.name() + "=flops");
        }
        if (!flops.isEmpty()) {
            Network net = inputs.base() != null ? inputs.base() : Network.init(inputs.architecture());
            List<String> uncounted = Flops.of(net, inputs.splits().validation().featureShape()).uncounted();
            if (!uncounted.isEmpty()) {
                throw new BadInputException(String.join(" and ", flops) + ": multiply-adds are counted for dense,"
                        + " output, 2-D convolution and batch-norm layers, but layer(s) " + uncounted + " have"
                        + " parameters of another kind; measure size by units or parameters instead");
            }
        }
        return strategy;
    }

    /**
     * Importance criteria and the classic pruners score and remove neurons or filters, or single weights (magnitude,
     * taylor, random and the pruners built on them): a unit criterion or pruner with weight masks is refused, naming
     * the keys, before anything is written.
     */
    static void requireImportance(String uses, RunInputs inputs, List<Criterion> criteria,
                                  List<StrategyConfig.Baseline> baselines) {
        if (inputs.layout().granularity() == Granularity.WEIGHT) {
            List<String> unitOnly = new java.util.ArrayList<>();
            criteria.stream().filter(c -> !Importance.WEIGHT_CRITERIA.contains(c))
                    .forEach(c -> unitOnly.add(StrategyKeys.INIT_CRITERIA.name() + " " + c.configName()));
            baselines.stream().filter(b -> !StrategyConfig.Baseline.FOR_WEIGHTS.contains(b))
                    .forEach(b -> unitOnly.add(StrategyKeys.BASELINE_METHODS.name() + " " + b.configName()));
            if (!unitOnly.isEmpty()) {
                throw new BadInputException(uses + " with mask.granularity=weight: " + unitOnly + " score or remove"
                        + " whole neurons; single weights take criteria " + Importance.WEIGHT_CRITERIA.stream()
                        .map(Criterion::configName).toList() + " and baselines " + StrategyConfig.Baseline.FOR_WEIGHTS
                        .stream().map(StrategyConfig.Baseline::configName).toList());
            }
        }
    }

    private Path search(SparkConf sparkConf, RunDirectory run, RunInputs inputs, StrategyConfig strategy,
                        SearchState from) throws IOException {
        DataSplits splits = inputs.splits();
        PrunableLayout layout = inputs.layout();
        byte[] normalizer = inputs.normalizer();
        boolean resumable = strategy.strategy() == StrategyConfig.Strategy.GENETIC && !strategy.racing();

        // 2. The base network: the user's, or a built-in one pretrained here and saved for the next run.
        Network base = inputs.base();
        boolean pretrained = base == null;
        if (pretrained) {
            base = pretrainOrStop(run, inputs, resumable, from);
            if (from == null) { // a resumed run saves it only once its checkpoint accepts it, below
                saveBase(run, base, normalizer, resumable, null);
            }
        }
        DataSet fineTune = Normalization.apply(normalizer, splits.fineTune().toDataSet());
        boolean regression = config.data().regression();
        Metric metric = config.fitness().metric();
        DataSet validation = Normalization.apply(normalizer, splits.validation().toDataSet());
        DataSet test = Normalization.apply(normalizer, splits.test().toDataSet());
        Scores baseValidation = Scores.of(base, validation, regression);
        Scores baseTest = Scores.of(base, test, regression);
        console.printf(Locale.ROOT,
                "evoprune: base %,d parameters, %,d prunable %ss; validation %s %.4f, test %s %.4f%n",
                base.numParams(), layout.units(), layout.granularity().configName(), metric.configName(),
                metric.value(baseValidation), metric.configName(), metric.value(baseTest));

        // 3. The search: one Spark job per generation, a checkpoint after each.
        Workload workload = new Workload(NetworkBlueprint.of(base), splits.fineTune(), splits.validation(), layout,
                inputs.fineTune(), config.fitness(), config.threads(), normalizer);
        if (from != null && from.settingsDigest() != null && from.settingsDigest() != workload.settingsDigest()) {
            // finetune.network=auto may resolve otherwise than when the run began (an evoprune since taught that
            // dropout trains the two forms differently): the run goes on in the form its checkpoint was scored in.
            Workload began = workload.withFineTune(workload.fineTune().withRebuilt(!workload.fineTune().rebuilt()));
            if (config.fineTuneNetwork() != RunConfig.FineTuneNetwork.AUTO
                    || from.settingsDigest() != began.settingsDigest()) {
                throw new BadInputException(changedInputs(run, from, workload, pretrained));
            }
            console.println("evoprune: candidates are fine-tuned " + (began.fineTune().rebuilt() ? "rebuilt"
                    : "at full size with the mask held") + ", as when the run began");
            workload = began;
        }
        // Only now, every check passed: a refused resume leaves the run's files as they were (but _RUNNING, naming it).
        if (pretrained && from != null) {
            saveBase(run, base, normalizer, resumable, from);
        }
        // A new run's inputs, or a resumed one's that its checkpoint's digest accepted (or that no checkpoint holds).
        if (resumable && (from == null || !run.exists(INPUTS_FILE))) {
            run.writeJson(INPUTS_FILE, workload.inputDigests());
        }
        // A normalizer.bin deleted as damaged before this resume: every check passed, so this one is the run's own.
        if (normalizer != null && !run.exists(NORMALIZER_FILE)) {
            run.writeBytes(NORMALIZER_FILE, normalizer);
        }
        run.restoreGenerations(from == null ? List.of() : from.history());
        List<Mask> seeds = from != null ? List.of() : seeds(run, strategy, base, layout, fineTune, resumable);
        MaskRepair repair = MaskRepair.of(layout, config.mask(), base);
        CollapseWarning collapse = !regression && metric == Metric.ACCURACY
                ? CollapseWarning.of(validation, baseValidation.accuracy(), inputs.fineTune(),
                !config.data().source().shuffle() && splits.validationCoverage() != null) : null;
        Evolved evolved = evolve(sparkConf, run, strategy, from, workload, base, seeds, repair,
                baseValidation.accuracy(), collapse, resumable);
        StrategySearch.Outcome outcome = evolved.outcome();
        String evaluatedOn = evolved.evaluatedOn();

        SearchResult result = outcome.result();
        try {
            // 4. The best mask, fine-tuned again with its own seed, at full size with the mask held: the network its
            //    evaluation scored (or, where candidates trained rebuilt, the same updates up to float rounding).
            MaskEvaluator.Trained pruned = MaskEvaluator.fineTune(workload,
                    new Candidate(0, result.bestMask(), result.bestSeed()));
            Scores prunedValidation = Scores.of(pruned.network(), validation, regression);
            Scores prunedTest = Scores.of(pruned.network(), test, regression);
            PairedComparison testComparison = PairedComparison.of(base, pruned.network(), test, regression);
            run.writeModel(PRUNED_MODEL, pruned.network(), normalizer);
            run.writeJson(ReportInputs.BEST_MASK, MaskReport.of(result.bestMask(), layout, base));
            StrategyReports.write(run, outcome, prunedTest.accuracy(), layout, console);
            if (strategy.baselineReport()) {
                StrategyReports.baselines(run, strategy, config, base, workload,
                        new StrategyReports.Data(fineTune, validation, test), result, pruned.network(),
                        baseValidation.accuracy(), baseTest.accuracy(), console);
            }
            // The dense control: the base given the very fine-tune the best mask had (the same batches), and below the
            // recovery the exported model gets, so that what that training alone gains is not read as pruning's.
            Network control = MaskEvaluator.fineTune(workload,
                    new Candidate(0, Mask.allKept(layout.units()), result.bestSeed())).network();

            // 5. The best network rebuilt without its pruned units, checked, recovered, measured and exported.
            stopIfShuttingDown();
            // Without a recovery the exported network is the pruned one, and its scores are those above.
            String exportedFile = PRUNED_MODEL;
            Network exported = pruned.network();
            Scores exportedValidation = prunedValidation;
            Scores exportedTest = prunedTest;
            PairedComparison againstBase = testComparison;
            if (config.rebuild().enabled()) {
                RebuildStep rebuild = new RebuildStep(config.rebuild(), run, console);
                RebuildStep.Exported step = rebuild.run(base, pruned.network(), layout, result.bestMask(),
                        new RebuildStep.Data(fineTune, validation, test, regression), config.search().seed(), normalizer);
                exported = step.network();
                exportedFile = step.file();
                RebuildReport.Recovery recovered = step.report().recovery();
                if (recovered != null) { // the step scored what it exported: one set of numbers, in its report and here
                    exportedValidation = recovered.validationAfter();
                    exportedTest = recovered.testAfter();
                    againstBase = recovered.testAgainstBase();
                }
                control = rebuild.recovered(control, fineTune, config.search().seed());
            }
            Scores controlTest = Scores.of(control, test, regression);
            PairedComparison againstControl = PairedComparison.of(control, exported, test, regression);
            int generations = result.history().size() - 1;
            RunSummary summary = new RunSummary(
                    new RunSummary.Network(base.numParams(), baseValidation.metrics(), baseTest.metrics()),
                    new RunSummary.Network(pruned.parametersKept(), prunedValidation.metrics(), prunedTest.metrics()),
                    testComparison,
                    new RunSummary.Search(generations, result.evaluations(), result.cacheHits(), result.best().fitness(),
                            result.bestMask().keptFraction(), config.fitness().size().configName(),
                            result.best().sizeFraction(), result.stopReason(), result.seconds(),
                            result.evaluations() / result.seconds(), config.search().seed(), evaluatedOn),
                    new RunSummary.Exported(exportedFile,
                            new RunSummary.Network(pruned.parametersKept(), exportedValidation.metrics(),
                                    exportedTest.metrics()),
                            againstBase,
                            new RunSummary.Network(base.numParams(), Scores.of(control, validation, regression).metrics(),
                                    controlTest.metrics()),
                            againstControl));
            run.writeJson(ReportInputs.SUMMARY, summary);
            HtmlReport.write(run.path(), run.hadoop());
            stopIfShuttingDown(); // a run marked complete must not exit as interrupted (143), nor be resumed
            run.complete();
            printVerdict(summary, result.bestMask(), layout);
            console.println("evoprune: outputs in " + run.path() + " (open " + HtmlReport.FILE + " in a browser)");
        } catch (RuntimeException | IOException | FSError e) {
            // The search is done and checkpointed: what failed after it must not read as bad input (exit 2).
            boolean interrupted = Trainer.shuttingDown();
            throw new RunFailedException("After the search: " + (interrupted ? "interrupted: " + INTERRUPTED : message(e))
                    + System.lineSeparator() + "  " + run.path() + " keeps the finished search's generations"
                    + (resumable ? " and checkpoint; " + (interrupted ? "" : "once the cause is fixed, ")
                    + "finish the run without searching again: " + launcher() + " run --resume " + run.path()
                    : ""), interrupted ? null : e);
        }
        return run.path();
    }

    /** The run's closing lines, read from its summary.json so that the console and the file cannot disagree. */
    private void printVerdict(RunSummary summary, Mask best, PrunableLayout layout) {
        RunSummary.Search search = summary.search();
        RunSummary.Exported exported = summary.exported();
        String metric = config.fitness().metric().configName();
        int generations = search.generations();
        console.printf(Locale.ROOT, "evoprune: stopped on %s after %d generation%s, %d evaluations in %.1f s%s%n",
                search.stopReason(), generations, generations == 1 ? "" : "s", search.evaluations(), search.seconds(),
                search.evaluatedOn() == null ? "" : "; evaluated on " + search.evaluatedOn());
        // Single weights leave every layer its size: what they keep is nonzero, not gone.
        String nonzero = layout.granularity() == Granularity.WEIGHT ? " nonzero" : "";
        console.printf(Locale.ROOT, "evoprune: best mask keeps %,d of %,d %ss (%s), %,d of %,d parameters%s%s%n",
                best.keptCount(), layout.units(), layout.granularity().configName(), Percent.of(best.keptFraction()),
                summary.pruned().parameters(), summary.base().parameters(), nonzero,
                config.fitness().size() == Fitness.Size.FLOPS ? ", " + Percent.of(search.sizeFraction())
                        + " of the multiply-adds" + nonzero : "");
        console.printf(Locale.ROOT, "evoprune: %s   validation %.4f -> %.4f   test %.4f -> %.4f (base -> best mask,"
                        + " as searched)%n", metric, summary.base().validation().get(metric),
                summary.pruned().validation().get(metric), summary.base().test().get(metric),
                summary.pruned().test().get(metric));
        // The closing verdict is the delivered model's: after recovery, against the base and the fair control.
        console.printf(Locale.ROOT, "evoprune: %s: test %s %.4f; dense control %.4f (the base given the same"
                        + " fine-tuning%s)%n", exported.file(), metric, exported.network().test().get(metric),
                exported.control().test().get(metric), config.rebuild().enabled() ? " and recovery" : "");
        if (exported.againstBase() != null) {
            console.println("evoprune: " + exported.file() + " against the base, test, paired: "
                    + exported.againstBase().describe());
        }
        if (exported.againstControl() != null) {
            console.println("evoprune: " + exported.file() + " against the dense control, test, paired: "
                    + exported.againstControl().describe("control"));
        }
    }

    /** How a search ended, and where its evaluations ran (the summary's placement). */
    private record Evolved(StrategySearch.Outcome outcome, String evaluatedOn) {
    }

    /**
     * Why a resume whose inputs no longer match its checkpoint's digest is refused: the parts whose digests differ
     * from those the run saved in {@value #INPUTS_FILE} (all of them, where it saved none), and what to restore.
     */
    private String changedInputs(RunDirectory run, SearchState from, Workload workload, boolean pretrained)
            throws IOException {
        Map<String, Long> saved = Map.of();
        if (run.exists(INPUTS_FILE)) {
            try {
                saved = RunJson.mapper().readValue(run.readBytes(INPUTS_FILE),
                        new com.fasterxml.jackson.core.type.TypeReference<Map<String, Long>>() { });
            } catch (IOException e) { // damaged: it only refines this message, so fall back to naming every part
                saved = Map.of();
            }
        }
        Map<String, Long> now = workload.inputDigests();
        Map<String, Long> known = saved;
        List<String> changed = now.keySet().stream().filter(k -> known.containsKey(k)
                && !known.get(k).equals(now.get(k))).toList();
        boolean all = changed.isEmpty(); // nothing saved to compare with: any part may have changed
        boolean model = all || changed.contains("model");
        boolean data = all || changed.contains("fine-tune data") || changed.contains("validation data");
        boolean normaliser = !all && changed.contains("normaliser"); // "the data" covers it where nothing was saved
        boolean settings = all || changed.contains("settings");
        List<String> what = new java.util.ArrayList<>();
        List<String> restore = new java.util.ArrayList<>();
        if (model) {
            what.add("the base model");
            restore.add(config.model().pretrained() ? "the files at " + ModelKeys.MODEL_PATH.name()
                    + " (" + config.model().path() + ")"
                    : pretrained ? "the OpenBLAS kernels the base was pretrained with (the same CPU type, or"
                    + " OPENBLAS_CORETYPE: it was pretrained again, its " + BASE_MODEL + " missing)"
                    : "the run's " + BASE_MODEL + " (or delete it to pretrain the base again)");
        }
        if (data) {
            what.add(all ? "the data" : "the training data");
            restore.add("the files at " + DataKeys.DATA_PATH.name() + " (" + config.data().path() + ")");
        }
        if (normaliser) {
            what.add("the normaliser");
            restore.add("the run's " + NORMALIZER_FILE);
        }
        if (settings) { // its config.properties is checked key by key first: here, how they are resolved changed
            what.add("how this evoprune resolves the fine-tune or fitness settings of its " + RunDirectory.CONFIGURATION);
            restore.add("the evoprune version the run began with");
        }
        return "Cannot resume " + run.path() + ": " + join(what, "or") + (what.size() == 1 ? " has" : " have")
                + " changed since the run began (its checkpoint's digest of them does not match), so the fitness of"
                + " its " + from.evaluated().size() + " evaluated masks would not hold. Restore " + join(restore, "and")
                + " as they were, or start a new run";
    }

    /** "a", "a or b", "a, b or c". */
    private static String join(List<String> parts, String last) {
        return parts.size() == 1 ? parts.get(0) : String.join(", ", parts.subList(0, parts.size() - 1)) + " " + last
                + " " + parts.get(parts.size() - 1);
    }

    /** Step 3: the search on Spark, one job per generation, a checkpoint after each (genetic, without racing). */
    private Evolved evolve(SparkConf sparkConf, RunDirectory run, StrategyConfig strategy, SearchState from,
                           Workload workload, Network base, List<Mask> seeds, MaskRepair repair, double baseAccuracy,
                           CollapseWarning collapse, boolean resumable) throws IOException {
        String finished = from == null ? null : GeneticSearch.finished(config.search(), from);
        if (finished != null) {
            // Resumed after a failure past the search (rebuild, export): nothing is left to evaluate, so no Spark
            // context, and no executors held on a cluster for it. The result is the one the search reached.
            console.println("evoprune: the search had finished (" + finished + "); finishing the run from its"
                    + " checkpoint without Spark");
            SearchResult result = new GeneticSearch(config.search(), workload.layout().units(), (generation, batch) -> {
                throw new IllegalStateException("A finished search evaluated generation " + generation);
            }, List.of(), stats -> { }, repair).run(from, state -> { });
            return new Evolved(new StrategySearch.Outcome(result, List.of(), null, null, null, mask -> true),
                    EvaluationCounters.placement(from.counters()));
        }
        CheckpointStore checkpoints = new CheckpointStore(run.file(CheckpointStore.FOLDER), run.hadoop(),
                config.settings());
        // The newest generation checkpointed, so that a stop can say what a resume continues from (-1: none yet).
        java.util.concurrent.atomic.AtomicInteger checkpointed = new java.util.concurrent.atomic.AtomicInteger(
                from == null ? -1 : from.generation());
        SparkConf conf = SparkSetup.configure(sparkConf, config.settings(), config.threads());
        // The name as resolved (a timestamp where output.run-name is empty), for the Spark UI's Environment page.
        conf.set(SparkSetup.PREFIX + OutputKeys.OUTPUT_RUN_NAME.name(), run.path().getName());
        try (JavaSparkContext spark = SparkSetup.start(conf);
             SparkEvaluationFarm farm = new SparkEvaluationFarm(spark, workload, config.partitions(), evaluation)) {
            console.println("evoprune: Spark " + spark.version() + " on " + spark.master() + ", application "
                    + spark.sc().applicationId());
            String memoryAdvice = SparkSetup.nativeMemoryAdvice(conf);
            if (memoryAdvice != null) {
                console.println("evoprune: " + memoryAdvice);
            }
            if (from != null) {
                from.history().forEach(farm::generationDone); // the UI's "best fitness so far" spans sessions
                farm.counters().addEarlier(from.counters()); // as do the counters and the summary's placement
            }
            Fitness.Size size = config.fitness().size();
            ProgressLine progress = new ProgressLine(console, config.search().generations(),
                    size == Fitness.Size.UNITS ? null : size.configName());
            StrategySearch.Outcome outcome = StrategySearch.run(config, strategy, farm, workload, base, seeds,
                    baseAccuracy, stats -> {
                        progress.print(stats);
                        String warning = collapse == null ? null : collapse.check(stats);
                        if (warning != null) {
                            console.println("evoprune: " + warning);
                        }
                        farm.generationDone(stats);
                        try {
                            run.appendGeneration(stats);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }, repair, inner -> new FailureBudget(inner, config.maxFailedFraction(),
                            EvaluationKeys.EVAL_MAX_FAILED.name(), line -> console.println("evoprune: " + line),
                            config.search().population()),
                    new StrategySearch.Continuation(from, state -> {
                        try {
                            checkpoints.write(state.withCounters(farm.counters().values()));
                            checkpointed.set(state.generation());
                        } catch (IOException e) {
                            throw new UncheckedIOException("Cannot write the checkpoint of generation "
                                    + state.generation(), e);
                        }
                    }));
            return new Evolved(outcome, farm.counters().placement());
        } catch (Exception | FSError | ExceptionInInitializerError e) {
            // Exception, not RuntimeException: Scala code throws checked ones undeclared (SparkException from a
            // SparkContext that cannot start, e.g. an unreachable master). Hadoop's FSError (a full disk) is an Error, and
            // so is a class initialiser that adds a shutdown hook while the JVM is shutting down (SIGTERM early on).
            boolean interrupted = Trainer.shuttingDown();
            String when = interrupted ? "" : "once the cause is fixed, ";
            throw new RunFailedException((interrupted ? "The search was interrupted: " + INTERRUPTED
                    : "The search stopped: " + message(e)) + System.lineSeparator() + "  "
                    + (resumable ? run.path() + (checkpointed.get() < 0 ? " has no finished generation yet; " + when
                    + "start it over with: " : " keeps the checkpoint of generation " + checkpointed.get() + "; " + when
                    + "continue the run with: ") + launcher() + " run --resume " + run.path()
                    : "NSGA-II and racing runs keep no checkpoints: " + when + "start a new run"),
                    interrupted ? null : e); // an interrupt's trace is only the shutdown reaching the trainer
        }
    }

    /**
     * The informed part of the initial population (none when not asked for, or when a run is resumed). It needs the
     * base, so it runs after the run directory exists: what fails here (a NaN importance of a diverged base, Ctrl-C)
     * is a failed run with nothing searched yet, not bad input.
     */
    private List<Mask> seeds(RunDirectory run, StrategyConfig strategy, Network base, PrunableLayout layout,
                             DataSet fineTune, boolean resumable) {
        try {
            return StrategySearch.seeds(config, strategy, base, layout, fineTune, console);
        } catch (RuntimeException e) {
            throw notSearched("Seeding the initial population", run, resumable, null, e);
        }
    }

    /**
     * A failure before this session's first generation: the run directory holds nothing searched yet, or, resumed,
     * the checkpoint it continues from ({@code from}).
     */
    private static RunFailedException notSearched(String step, RunDirectory run, boolean resumable, SearchState from,
                                                  Throwable e) {
        boolean interrupted = Trainer.shuttingDown();
        String when = interrupted ? "" : "once the cause is fixed, ";
        String resume = launcher() + " run --resume " + run.path();
        return new RunFailedException(step + ": " + (interrupted ? "interrupted: " + INTERRUPTED : message(e))
                + System.lineSeparator() + (from != null ? "  the run keeps its checkpoint of generation "
                + from.generation() + "; " + when + "continue it with: " + resume
                : "  nothing was searched yet; " + when + (resumable ? "start the run over in " + run.path()
                + " with: " + resume : "delete " + run.path() + " and start a new run")), interrupted ? null : e);
    }

    /**
     * Step 2 for a built-in architecture. What fails here (a full disk, Ctrl-C) leaves a run directory with nothing
     * searched yet: the message says so and how to start it over, as the search's failures do.
     */
    private Network pretrainOrStop(RunDirectory run, RunInputs inputs, boolean resumable, SearchState from) {
        try {
            return inputs.pretrain(config, console);
        } catch (RuntimeException | FSError e) {
            throw notSearched("Pretraining the base", run, resumable, from, e);
        }
    }

    private void saveBase(RunDirectory run, Network base, byte[] normalizer, boolean resumable, SearchState from) {
        try {
            run.writeModel(BASE_MODEL, base, normalizer);
            console.println("evoprune: pretrained base saved; reuse it with --set model.path=" + run.file(BASE_MODEL));
        } catch (RuntimeException | IOException | FSError e) {
            throw notSearched("Saving the pretrained base", run, resumable, from, e);
        }
    }

    private static void requireMaster(SparkConf sparkConf) {
        try {
            SparkSetup.requireMaster(sparkConf.get("spark.master", SparkSetup.DEFAULT_MASTER));
            SparkSetup.requireReadable(sparkConf);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
    }

    /** How this driver was started (bin/evoprune passes itself as typed; spark-submit), for commands to paste. */
    private static String launcher() {
        String script = System.getProperty("evoprune.launcher"); // bin/evoprune names itself
        if (script != null) {
            return script;
        }
        // spark-submit hands its settings to the application as system properties: the same submit continues
        return System.getProperty("spark.submit.deployMode") != null ? "spark-submit <the same options and jar>"
                : "evoprune";
    }

    private static final String INTERRUPTED = "the JVM is shutting down (SIGTERM or Ctrl-C)";

    private static void stopIfShuttingDown() {
        if (Trainer.shuttingDown()) {
            throw new IllegalStateException(INTERRUPTED);
        }
    }

    private static String message(Throwable e) {
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    /** Where a new run of {@code config} goes: output.dir/output.run-name, or a name from the time. */
    static String runLocation(RunConfig config) {
        String name = config.runName().isEmpty()
                ? "run-" + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                : config.runName();
        try {
            return new Path(config.outputDir(), name).toString();
        } catch (IllegalArgumentException e) { // Hadoop's Path refuses e.g. "exp:1" (a scheme without a path)
            throw new BadInputException("Cannot make a run directory in " + OutputKeys.OUTPUT_DIR.name() + "="
                    + config.outputDir() + ": " + e.getMessage(), e);
        }
    }
}
