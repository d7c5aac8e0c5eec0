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
import io.evoprune.data.ArrayDataset;
import io.evoprune.data.DataLoader;
import io.evoprune.data.DataSplits;
import io.evoprune.data.Normalization;
import io.evoprune.evaluation.Candidate;
import io.evoprune.evaluation.FineTuneSettings;
import io.evoprune.evaluation.Fitness;
import io.evoprune.evaluation.MaskEvaluator;
import io.evoprune.evaluation.Metric;
import io.evoprune.evaluation.PairedComparison;
import io.evoprune.evaluation.Scores;
import io.evoprune.evaluation.Workload;
import io.evoprune.farm.EvaluationFunction;
import io.evoprune.farm.SparkEvaluationFarm;
import io.evoprune.farm.SparkSetup;
import io.evoprune.importance.Criterion;
import io.evoprune.importance.Importance;
import io.evoprune.mask.Granularity;
import io.evoprune.mask.Mask;
import io.evoprune.mask.MaskRepair;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.mask.Seeds;
import io.evoprune.model.Architectures;
import io.evoprune.model.Flops;
import io.evoprune.model.ModelFile;
import io.evoprune.model.ModelFiles;
import io.evoprune.model.ModelInputs;
import io.evoprune.model.NativeThreads;
import io.evoprune.model.Network;
import io.evoprune.model.NetworkBlueprint;
import io.evoprune.model.Trainer;
import io.evoprune.rebuild.MaskRebuild;
import io.evoprune.rebuild.Recovery;
import io.evoprune.report.HtmlReport;
import io.evoprune.report.MaskReport;
import io.evoprune.report.ProgressLine;
import io.evoprune.report.RebuildReport;
import io.evoprune.report.RunDirectory;
import io.evoprune.report.RunSummary;
import io.evoprune.search.FailureBudget;
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
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A whole search run, in the order it happens: check the inputs, get the base network, evolve masks on
 * Spark, then fine-tune the best mask once more and report it against the base on validation and test.
 */
public final class PruningJob {
    private static final long PRETRAIN_STREAM = 4;
    // 1-3 and 5-8 are the search's, importance's and baselines' streams; 10 is RebuildStep's, 11 ImportanceSample's
    private static final long DATA_STREAM = 9;
    /** The fitted feature normaliser, in ND4J's NormalizerSerializer format (NormalizerSerializer.getDefault().restore). */
    public static final String NORMALIZER_FILE = "normalizer.bin";
    public static final String BASE_MODEL = "base-model.zip";
    public static final String PRUNED_MODEL = "pruned-model.zip";
    /** Raw features beyond this magnitude get {@link #scaleHint}: pixels in [0, 1] or z-scores stay below it. */
    static final double SCALE_HINT_ABOVE = 10;

    private final RunConfig config;
    private final PrintStream console;
    private final EvaluationFunction evaluation;
    private final Configuration hadoop = new Configuration();

    public PruningJob(RunConfig config, PrintStream console) {
        this(config, console, EvaluationFunction.MASK_EVALUATOR);
    }

    /** A job whose Spark tasks run {@code evaluation}; anything but the mask evaluator is for fault tests. */
    public PruningJob(RunConfig config, PrintStream console, EvaluationFunction evaluation) {
        this.config = config;
        this.console = console;
        this.evaluation = evaluation;
    }

    /** The checked inputs of a run: data as the network reads it, the base (null = to pretrain), the genome. */
    public record Inputs(DataSplits splits, Network base, Object architecture, byte[] normalizer,
                  PrunableLayout layout, FineTuneSettings fineTune) {
    }

    /** Runs the search in a new run directory and returns where its outputs are. */
    public Path run(SparkConf sparkConf) throws IOException {
        NativeThreads.limit(config.threads());

        // 1. Inputs: everything is read and checked before a run directory exists or a Spark job starts.
        requireMaster(sparkConf);
        Inputs inputs = inputs(config.model().pretrained() ? config.model().path() : null);
        StrategyConfig strategy = strategy(inputs, false);
        RunDirectory run;
        try {
            run = RunDirectory.create(runLocation(), hadoop);
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
        RunDirectory run = ResumeSettings.reopen(location, hadoop);
        String model = config.model().pretrained() ? config.model().path()
                : run.exists(BASE_MODEL) ? run.file(BASE_MODEL).toString() : null;
        Inputs inputs = savedNormalizer(run, inputs(model, run));
        StrategyConfig strategy = strategy(inputs, true);
        SearchState from = new CheckpointStore(run.file(CheckpointStore.FOLDER), hadoop, config.settings())
                .latest(inputs.layout(), config.search().population()).orElse(null);
        console.println("evoprune: resuming run " + run.path() + (from == null
                ? " from the start (it stopped before its first checkpoint)"
                : " after generation " + from.generation() + " of " + config.search().generations()));
        return search(sparkConf, run, inputs, strategy, from);
    }

    /**
     * A resumed run transforms data with the normaliser its first session saved, not a refit: refitted elsewhere its
     * statistics may differ in their last bits. One that does not refit alike means the data changed.
     */
    private Inputs savedNormalizer(RunDirectory run, Inputs inputs) throws IOException {
        if (!run.exists(NORMALIZER_FILE)) {
            return inputs;
        }
        byte[] saved = run.readBytes(NORMALIZER_FILE);
        if (!Normalization.alike(saved, inputs.normalizer())) {
            throw new BadInputException("Cannot resume " + run.path() + ": its " + NORMALIZER_FILE + " does not match"
                    + " the normaliser of the data at " + config.data().path() + " (the data, or the model's bundled"
                    + " normaliser, changed since the run began); restore them, or start a new run");
        }
        return new Inputs(inputs.splits(), inputs.base(), inputs.architecture(), saved, inputs.layout(),
                inputs.fineTune());
    }

    /**
     * The search-strategy settings, refused here, before anything is written, where combined with what they do
     * not support: NSGA-II and racing keep no checkpoint state (their archive, front and racing ledger), so such
     * runs cannot be resumed; unit criteria and pruners do not take single weights; baselines report accuracy;
     * FLOPs objectives need layers whose multiply-adds are counted.
     */
    private StrategyConfig strategy(Inputs inputs, boolean resuming) {
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
    static void requireImportance(String uses, Inputs inputs, List<Criterion> criteria,
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

    /**
     * Reads and checks the data and the model at {@code modelPath} (null = the built-in architecture, to pretrain),
     * and derives the genome; throws {@link BadInputException} naming the key, file or shape at fault.
     */
    public Inputs inputs(String modelPath) {
        return inputs(modelPath, null);
    }

    /** {@link #inputs(String)} for the run {@code resumed} (null: a new run), whose inputs must be what they were. */
    private Inputs inputs(String modelPath, RunDirectory resumed) {
        DataSplits raw = loadData();
        String coverage = raw.validationCoverage();
        if (coverage != null) {
            console.println("evoprune: warning: " + coverage);
        }
        ModelFile file = modelPath == null ? null : config.model().pretrained() ? loadModel(modelPath, "key model.path")
                : loadOwnBase(modelPath);
        Network base = file != null ? file.network() : null;
        Object architecture = base != null ? base.configuration() : architecture(raw);
        // Not bad input: the machine's BLAS. Refused before anything runs, with the fix in the message.
        io.evoprune.model.BlasCheck.require(Network.dataType(architecture));
        DataSplits splits = fit(architecture, raw);
        byte[] normalizer = normalizer(modelPath, file != null ? file.normalizer() : null, splits, resumed);
        splits = splits.map(Normalization.toNormaliserUnits(normalizer, config.data().source().format()));
        if (base != null) {
            checkForwardPass(base, splits, normalizer);
        }
        requireVariedTargets(splits.validation());
        PrunableLayout layout = layout(architecture);
        return new Inputs(splits, base, architecture, normalizer, layout, searchFineTune(base, architecture, layout));
    }

    /**
     * A hint where evoprune pretrains its own network on raw features far from [-1, 1] (e.g. CSV columns in the
     * hundreds): the built-in networks' initialisation and learning rate assume small inputs, and trained on such
     * features they reach a worse base than on standardised ones. Null when the features are small.
     */
    static String scaleHint(ArrayDataset train, String location) {
        float[] x = train.features();
        int width = train.featureSize();
        int at = 0;
        for (int i = 1; i < x.length; i++) {
            if (Math.abs(x[i]) > Math.abs(x[at])) {
                at = i;
            }
        }
        if (x.length == 0 || Math.abs(x[at]) <= SCALE_HINT_ABOVE) {
            return null;
        }
        return String.format(Locale.ROOT, "the features at %s reach %s (feature %d of example %d), and %s=none leaves"
                        + " them so; the built-in network trains best on features near [-1, 1]: consider %s=standardize"
                        + " (fitted on the training part only, saved with the run)", location, Float.toString(x[at]),
                at % width, at / width, DataKeys.DATA_NORMALIZE.name(), DataKeys.DATA_NORMALIZE.name());
    }

    /** R² divides by the validation targets' variance: a constant target would fail every evaluation. */
    private void requireVariedTargets(ArrayDataset validation) {
        if (config.fitness().metric() != Metric.R2) {
            return;
        }
        int k = validation.targetSize();
        float[] y = validation.targets();
        for (int t = 0; t < k; t++) {
            boolean varies = false;
            for (int i = t + k; i < y.length && !varies; i += k) {
                varies = y[i] != y[t];
            }
            if (!varies) {
                throw new BadInputException("fitness.metric=r2: regression target " + t + " is the same in all "
                        + validation.size() + " validation examples of " + config.data().path() + ", so R² (1 - SSE/SST)"
                        + " is undefined; set fitness.metric=mse or mae, or give validation examples that vary");
            }
        }
    }

    /**
     * The features' normaliser: the one bundled in the model file when it has one (its weights were trained on data
     * so transformed), else fitted as data.normalize says. Fitting a different one over a bundled one is refused; the
     * same one refitted (a run's own base, resumed or reused on the same data) is not.
     */
    private byte[] normalizer(String modelPath, byte[] bundled, DataSplits splits, RunDirectory resumed) {
        byte[] fitted = Normalization.fit(config.data().normalization(), splits.pretrain().toDataSet());
        if (bundled == null && fitted == null && modelPath == null) {
            String hint = scaleHint(splits.pretrain(), config.data().path());
            if (hint != null) {
                console.println("evoprune: hint: " + hint);
            }
        }
        if (bundled == null) {
            if (fitted != null && modelPath != null && resumed == null) {
                console.println("evoprune: warning: " + DataKeys.DATA_NORMALIZE.name() + "="
                        + config.data().normalization().name().toLowerCase(java.util.Locale.ROOT) + " transforms the"
                        + " features " + modelPath + " reads, and it bundles no normaliser: if its weights were trained"
                        + " on untransformed features, set " + DataKeys.DATA_NORMALIZE.name() + "=none");
            }
            return fitted;
        }
        if (fitted != null && !Normalization.alike(fitted, bundled)) {
            throw new BadInputException(resumed != null
                    ? "Cannot resume " + resumed.path() + ": the data at " + config.data().path() + " differ from those"
                    + " the run began with (the normaliser fitted on them does not match the one " + modelPath
                    + " bundles); restore them, or start a new run"
                    : "Model file " + modelPath + " bundles the normaliser its weights were trained with (normalizer.bin),"
                    + " but " + DataKeys.DATA_NORMALIZE.name() + "="
                    + config.data().normalization().name().toLowerCase(java.util.Locale.ROOT) + " fits a different one on"
                    + " this data: set " + DataKeys.DATA_NORMALIZE.name() + "=none to use the bundled one (key model.path)");
        }
        if (fitted == null) {
            console.println("evoprune: features are normalised with the normaliser bundled in " + modelPath);
        }
        return bundled;
    }

    /**
     * The search's fine-tune settings, with {@code finetune.network} resolved for this model and mask: the physically
     * smaller network where the rebuild supports both, else the masked full-size one.
     */
    private FineTuneSettings searchFineTune(Network base, Object architecture, PrunableLayout layout) {
        if (config.fineTuneNetwork() == RunConfig.FineTuneNetwork.MASKED) {
            return config.fineTune();
        }
        String refusal = MaskRebuild.refusal(base != null ? base : Network.init(architecture), layout);
        if (refusal == null) {
            return config.fineTune().withRebuilt(true);
        }
        if (config.fineTuneNetwork() == RunConfig.FineTuneNetwork.REBUILT) {
            throw new BadInputException(EvaluationKeys.FINETUNE_NETWORK.name() + "=rebuilt cannot be used here: "
                    + refusal + "; set " + EvaluationKeys.FINETUNE_NETWORK.name() + "=auto or masked to fine-tune"
                    + " the candidates at full size with the mask held");
        }
        if (MaskRebuild.rebuildable(layout.granularity())) { // weight masks never rebuild: the rebuild step says so
            console.println("evoprune: candidates are fine-tuned at full size with the mask held (" + refusal + ")");
        }
        return config.fineTune();
    }

    private Path search(SparkConf sparkConf, RunDirectory run, Inputs inputs, StrategyConfig strategy, SearchState from)
            throws IOException {
        DataSplits splits = inputs.splits();
        PrunableLayout layout = inputs.layout();
        byte[] normalizer = inputs.normalizer();
        boolean resumable = strategy.strategy() == StrategyConfig.Strategy.GENETIC && !strategy.racing();

        // 2. The base network: the user's, or a built-in one pretrained here and saved for the next run.
        Network base = inputs.base();
        boolean pretrained = base == null;
        if (pretrained) {
            base = pretrainOrStop(run, inputs.architecture(), splits, normalizer, resumable, from);
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
            String model = config.model().pretrained() ? "the files at " + ModelKeys.MODEL_PATH.name() + " and "
                    : pretrained ? "the OpenBLAS kernels the base was pretrained with (the same CPU type, or"
                    + " OPENBLAS_CORETYPE: it was pretrained again, its " + BASE_MODEL + " missing), the files at "
                    : "the run's " + BASE_MODEL + " (or delete it to pretrain the base again), the files at ";
            throw new BadInputException("Cannot resume " + run.path() + ": the base model, the data, or the fine-tune"
                    + " or fitness settings in its " + RunDirectory.CONFIGURATION + " differ from those the run began"
                    + " with (its checkpoint's digest of them does not match), so the fitness of its "
                    + from.evaluated().size() + " evaluated masks would not hold. Restore " + model
                    + DataKeys.DATA_PATH.name() + " and the run's " + RunDirectory.CONFIGURATION + " as they were,"
                    + " or start a new run");
        }
        // Only now, every check passed: a refused resume leaves the run's files as they were (but _RUNNING, naming it).
        if (pretrained && from != null) {
            saveBase(run, base, normalizer, resumable, from);
        }
        run.restoreGenerations(from == null ? List.of() : from.history());
        List<Mask> seeds = from != null ? List.of() : seeds(run, strategy, base, layout, fineTune, resumable);
        MaskRepair repair = MaskRepair.of(layout, config.mask(), base);
        CollapseWarning collapse = !regression && metric == Metric.ACCURACY
                ? CollapseWarning.of(validation, baseValidation.accuracy(), inputs.fineTune()) : null;
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
            run.writeJson("best-mask.json", MaskReport.of(result.bestMask(), layout, base));
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
            run.writeJson("summary.json", summary);
            HtmlReport.write(run.path(), hadoop);
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
        console.printf(Locale.ROOT, "evoprune: best mask keeps %,d of %,d %ss (%.1f%%), %,d of %,d parameters%s%s%n",
                best.keptCount(), layout.units(), layout.granularity().configName(), 100 * best.keptFraction(),
                summary.pruned().parameters(), summary.base().parameters(), nonzero,
                config.fitness().size() == Fitness.Size.FLOPS ? String.format(Locale.ROOT,
                        ", %.1f%% of the multiply-adds%s", 100 * search.sizeFraction(), nonzero) : "");
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

    /** Step 3: the search on Spark, one job per generation, a checkpoint after each (genetic, without racing). */
    private Evolved evolve(SparkConf sparkConf, RunDirectory run, StrategyConfig strategy, SearchState from,
                           Workload workload, Network base, List<Mask> seeds, MaskRepair repair, double baseAccuracy,
                           CollapseWarning collapse, boolean resumable) throws IOException {
        CheckpointStore checkpoints = new CheckpointStore(run.file(CheckpointStore.FOLDER), hadoop, config.settings());
        // The newest generation checkpointed, so that a stop can say what a resume continues from (-1: none yet).
        java.util.concurrent.atomic.AtomicInteger checkpointed = new java.util.concurrent.atomic.AtomicInteger(
                from == null ? -1 : from.generation());
        SparkConf conf = SparkSetup.configure(sparkConf, config.settings(), config.threads());
        try (JavaSparkContext spark = SparkSetup.start(conf);
             SparkEvaluationFarm farm = new SparkEvaluationFarm(spark, workload, config.partitions(), evaluation)) {
            console.println("evoprune: Spark " + spark.version() + " on " + spark.master() + ", application "
                    + spark.sc().applicationId());
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
                            EvaluationKeys.EVAL_MAX_FAILED.name(), line -> console.println("evoprune: " + line)),
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
     * The data as every command reads it: training examples shuffled (where data.shuffle says) with the data stream
     * of search.seed, so that apply and evaluate given a run's seed cut the run's own splits.
     */
    public static DataLoader.Parts loadParts(RunConfig config, Configuration hadoop) throws IOException {
        return DataLoader.load(config.data().source(), Seeds.derive(config.search().seed(), DATA_STREAM, 0), hadoop);
    }

    private DataSplits loadData() {
        try {
            DataLoader.Parts parts = loadParts(config, hadoop);
            if (!config.model().pretrained()) { // a model brought by the user sets the class count itself
                String empty = DataLoader.requireExamplesOfMostClasses(config.data().source(), parts);
                if (empty != null) {
                    console.println("evoprune: warning: " + empty);
                }
            }
            return DataSplits.cut(parts.train(), parts.test(), config.data().fineTuneSize(),
                    config.data().validationSize(), config.data().testSize());
        } catch (IOException | IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
    }

    /** The base a resumed run pretrained itself: a damaged copy can be pretrained again, an unreachable one waited for. */
    private ModelFile loadOwnBase(String path) {
        try {
            return loadModel(path, "the base this run pretrained");
        } catch (BadInputException e) {
            if (e.getMessage().contains(" cannot be reached ")) {
                throw e;
            }
            throw new BadInputException(e.getMessage() + "; move it aside (keep it) and resume to pretrain the base"
                    + " again", e);
        }
    }

    private ModelFile loadModel(String path, String source) {
        try {
            return ModelFiles.read(path, source, hadoop);
        } catch (IOException | IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
    }

    /** The genome's layout; a layer the granularity cannot prune is an input error, raised before any job. */
    private PrunableLayout layout(Object architecture) {
        try {
            return PrunableLayout.of(architecture, config.mask());
        } catch (IllegalArgumentException e) {
            throw new BadInputException((config.model().pretrained() ? "Model " + config.model().path()
                    : "Built-in " + config.model().architecture()) + ": " + e.getMessage(), e);
        }
    }

    /** The data viewed as the network reads it; its outputs must match the data's classes or targets. */
    private DataSplits fit(Object architecture, DataSplits splits) {
        String model = config.model().pretrained() ? "Model " + config.model().path() : "Built-in "
                + config.model().architecture();
        return fit(architecture, model, config.data().path(), splits);
    }

    /** Every split viewed as the network reads it ({@link #fit(Object, String, String, ArrayDataset)}). */
    public static DataSplits fit(Object architecture, String model, String data, DataSplits splits) {
        return new DataSplits(fit(architecture, model, data, splits.pretrain()),
                fit(architecture, model, data, splits.fineTune()), fit(architecture, model, data, splits.validation()),
                fit(architecture, model, data, splits.test()));
    }

    /**
     * One part of the data viewed as the network reads it ({@link ModelInputs#fit}); a mismatch is bad input naming
     * the model and the data, e.g. "Model m.zip and the data at d.csv do not fit: the model takes 4 inputs ...".
     */
    public static ArrayDataset fit(Object architecture, String model, String data, ArrayDataset part) {
        try {
            return ModelInputs.fit(architecture, part);
        } catch (IllegalArgumentException e) {
            throw doNotFit(model, data, e);
        }
    }

    /** {@code part} transformed by the model's bundled normaliser (if any); one of another width is bad input. */
    public static DataSet normalised(byte[] normalizer, ArrayDataset part, String model, String data) {
        try {
            return Normalization.apply(normalizer, part.toDataSet());
        } catch (IllegalArgumentException e) {
            throw doNotFit(model, data, e);
        }
    }

    private static BadInputException doNotFit(String model, String data, IllegalArgumentException e) {
        return new BadInputException(model + " and the data at " + data + " do not fit: " + e.getMessage(), e);
    }

    /**
     * A few examples through the user's network: its forward pass, its scores and loss, and one training step on a
     * copy. Whatever the shape checks above cannot see (a loss that takes other labels, a layer whose backprop fails
     * on these activations) fails here, before the run directory or any job.
     */
    private void checkForwardPass(Network net, DataSplits splits, byte[] normalizer) {
        DataSet few = normalised(normalizer, splits.validation().slice(0, Math.min(4, splits.validation().size())),
                "Model " + config.model().path(), config.data().path());
        String shape = " (examples of shape " + java.util.Arrays.toString(few.getFeatures().shape()) + "): ";
        try {
            net.output(few.getFeatures());
        } catch (RuntimeException e) {
            throw new BadInputException("Model " + config.model().path() + " cannot read the data at "
                    + config.data().path() + shape + e.getMessage(), e);
        }
        String step = "scoring";
        try {
            Scores.of(net, few, config.data().regression());
            step = "a training step";
            Network.create(net.configuration(), net.params()).fit(few.getFeatures(), few.getLabels());
        } catch (RuntimeException e) {
            throw new BadInputException("Model " + config.model().path() + " reads the data at " + config.data().path()
                    + " but fails in " + step + shape + e.getMessage(), e);
        }
    }

    private Object architecture(DataSplits splits) {
        ArrayDataset data = splits.pretrain();
        try {
            return Architectures.build(config.model().architecture(), data.featureShape(), data.outputSize(),
                    data.regression(), config.model().pretrainLearningRate(),
                    Seeds.derive(config.search().seed(), PRETRAIN_STREAM, 0));
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage() + " (data at " + config.data().path() + ")", e);
        }
    }

    /**
     * Step 2 for a built-in architecture. What fails here (a full disk, Ctrl-C) leaves a run directory with nothing
     * searched yet: the message says so and how to start it over, as the search's failures do.
     */
    private Network pretrainOrStop(RunDirectory run, Object architecture, DataSplits splits, byte[] normalizer,
                                   boolean resumable, SearchState from) {
        try {
            return pretrain(architecture, splits, normalizer);
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

    /** Pretrains a built-in architecture on the pretraining split, with the run seed's pretraining stream. */
    public Network pretrain(Object architecture, DataSplits splits, byte[] normalizer) {
        Network net = Network.init(architecture);
        long start = System.nanoTime();
        Trainer.fit(net, Normalization.apply(normalizer, splits.pretrain().toDataSet()), config.model().pretrainEpochs(),
                config.model().pretrainBatchSize(), 0, Seeds.derive(config.search().seed(), PRETRAIN_STREAM, 1));
        int epochs = config.model().pretrainEpochs();
        console.printf(Locale.ROOT, "evoprune: pretrained %s for %d epoch%s on %,d examples in %.1f s%n",
                config.model().architecture(), epochs, epochs == 1 ? "" : "s", splits.pretrain().size(),
                (System.nanoTime() - start) / 1e9);
        return net;
    }

    String runLocation() {
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
