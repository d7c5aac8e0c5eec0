package io.evoprune.job;

import io.evoprune.config.DataKeys;
import io.evoprune.config.EvaluationKeys;
import io.evoprune.config.RunConfig;
import io.evoprune.data.ArrayDataset;
import io.evoprune.data.DataFormat;
import io.evoprune.data.DataLoader;
import io.evoprune.data.DataSource;
import io.evoprune.data.DataSplits;
import io.evoprune.data.Normalization;
import io.evoprune.evaluation.FineTuneSettings;
import io.evoprune.evaluation.Metric;
import io.evoprune.evaluation.Scores;
import io.evoprune.farm.SparkSetup;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.mask.Seeds;
import io.evoprune.model.Architectures;
import io.evoprune.model.ModelFile;
import io.evoprune.model.ModelFiles;
import io.evoprune.model.ModelInputs;
import io.evoprune.model.Network;
import io.evoprune.model.Trainer;
import io.evoprune.rebuild.MaskRebuild;
import io.evoprune.report.RunDirectory;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.nd4j.linalg.dataset.DataSet;

/**
 * What a run reads and checks before a run directory exists or a Spark job starts: the data as the network reads
 * it, the base (null = to pretrain), its architecture, the features' normaliser, the genome and the search's
 * fine-tune settings. What is wrong is a {@link BadInputException} naming the key, file or shape at fault. The public
 * static methods read data as a run does, for the commands that bring their own model (evaluate, apply).
 */
public record RunInputs(DataSplits splits, Network base, Object architecture, byte[] normalizer,
                        PrunableLayout layout, FineTuneSettings fineTune) {
    private static final long PRETRAIN_STREAM = 4;
    // 1-3 and 5-8 are the search's, importance's and baselines' streams; 10 is RebuildStep's, 11 ImportanceSample's
    private static final long DATA_STREAM = 9;
    /** Raw features beyond this magnitude get {@link #scaleHint}: pixels in [0, 1] or z-scores stay below it. */
    static final double SCALE_HINT_ABOVE = 10;

    /**
     * Reads and checks the data and the model at {@code modelPath} (null = the built-in architecture, to pretrain),
     * and derives the genome, with files read through {@code hadoop}; throws {@link BadInputException} naming the
     * key, file or shape at fault.
     */
    public static RunInputs read(RunConfig config, PrintStream console, String modelPath, Configuration hadoop) {
        return new Reader(config, console, hadoop).read(modelPath, null);
    }

    /**
     * {@link #read} for the run {@code resumed}, whose inputs must be what they were, with the normaliser its first
     * session saved.
     */
    static RunInputs resumed(RunConfig config, PrintStream console, String modelPath, RunDirectory resumed,
                             Configuration hadoop) throws IOException {
        Reader reader = new Reader(config, console, hadoop);
        return reader.savedNormalizer(resumed, reader.read(modelPath, resumed));
    }

    /** Pretrains a built-in architecture on the pretraining split, with the run seed's pretraining stream. */
    public Network pretrain(RunConfig config, PrintStream console) {
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

    /**
     * The data as every command reads it: training examples shuffled (where data.shuffle says) with the data stream
     * of search.seed, so that apply and evaluate given a run's seed cut the run's own splits.
     */
    public static DataLoader.Parts loadParts(RunConfig config, Configuration hadoop) throws IOException {
        return DataLoader.load(config.data().source(), Seeds.derive(config.search().seed(), DATA_STREAM, 0), hadoop);
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

    /** The reading and checking, with the settings and console they need; in the order {@link #read} calls them. */
    private static final class Reader {
        private final RunConfig config;
        private final PrintStream console;
        private final Configuration hadoop;

        Reader(RunConfig config, PrintStream console, Configuration hadoop) {
            this.config = config;
            this.console = console;
            this.hadoop = hadoop;
        }

        /**
         * {@link RunInputs#read} for the run {@code resumed} (null: a new run), whose inputs must be what they were.
         */
        RunInputs read(String modelPath, RunDirectory resumed) {
            Loaded loaded = loadData();
            DataSplits raw = loaded.splits();
            String coverage = raw.validationCoverage();
            if (coverage != null) {
                console.println("evoprune: warning: " + coverage);
            }
            ModelFile file = modelPath == null ? null
                    : config.model().pretrained() ? loadModel(modelPath, "key model.path") : loadOwnBase(modelPath);
            Network base = file != null ? file.network() : null;
            Object architecture = base != null ? base.configuration() : architecture(raw);
            // Not bad input: the machine's BLAS. Refused before anything runs, with the fix in the message.
            io.evoprune.model.BlasCheck.require(Network.dataType(architecture));
            DataSplits splits = fit(architecture, raw, loaded.largestLabel());
            byte[] normalizer = normalizer(modelPath, file != null ? file.normalizer() : null, splits, resumed);
            splits = splits.map(Normalization.toNormaliserUnits(normalizer, config.data().source().format()));
            if (base != null) {
                checkForwardPass(base, splits, normalizer);
            }
            requireVariedTargets(splits.validation());
            PrunableLayout layout = layout(architecture);
            return new RunInputs(splits, base, architecture, normalizer, layout,
                    searchFineTune(base, architecture, layout));
        }

        /** The data's splits, and where its largest class label was read (null if unknown or regression). */
        private record Loaded(DataSplits splits, String largestLabel) {
        }

        private Loaded loadData() {
            try {
                config.data().source().requireApart(hadoop);
                DataLoader.Parts parts = loadParts(config, hadoop);
                if (!config.model().pretrained()) { // a model brought by the user sets the class count itself
                    String empty = DataLoader.requireExamplesOfMostClasses(config.data().source(), parts);
                    if (empty != null) {
                        console.println("evoprune: warning: " + empty);
                    }
                }
                return new Loaded(DataSplits.cut(parts.train(), parts.test(), config.data().fineTuneSize(),
                        config.data().validationSize(), config.data().testSize()), parts.largestLabel());
            } catch (IOException | IllegalArgumentException e) {
                throw new BadInputException(e.getMessage(), e);
            }
        }

        /**
         * The base a resumed run pretrained itself: a damaged copy can be pretrained again, an unreachable one waited
         * for.
         */
        private ModelFile loadOwnBase(String path) {
            try {
                return loadModel(path, "the base this run pretrained");
            } catch (BadInputException e) {
                if (e.getCause() instanceof ModelFiles.UnreachableException) {
                    throw e; // the file may be fine: moving it aside would not help
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

        /** The data viewed as the network reads it; its outputs must match the data's classes or targets. */
        private DataSplits fit(Object architecture, DataSplits splits, String largestLabel) {
            String model = config.model().pretrained() ? "Model " + config.model().path() : "Built-in "
                    + config.model().architecture();
            DataSource source = config.data().source();
            String data = source.format() == DataFormat.IDX ? source.path() : source.path() + " and " + source.testPath();
            int classes = splits.pretrain().outputSize();
            if (largestLabel != null && !source.regression() && source.classes() == 0
                    && outputs(architecture, classes) != classes) {
                // The label that set an inferred class count: a stray one, in either file, is found at once.
                data += " (labels up to " + (classes - 1) + ", the largest at " + largestLabel + ")";
            }
            return RunInputs.fit(architecture, model, data, splits);
        }

        /** The network's output columns, or {@code otherwise} where ModelInputs.fit will name what it cannot read. */
        private static long outputs(Object architecture, long otherwise) {
            try {
                return ModelInputs.outputs(architecture);
            } catch (IllegalArgumentException e) {
                return otherwise;
            }
        }

        /**
         * The features' normaliser: the one bundled in the model file when it has one (its weights were trained on
         * data so transformed), else fitted as data.normalize says. Fitting a different one over a bundled one is
         * refused; the same one refitted (a run's own base, resumed or reused on the same data) is not.
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
                            + config.data().normalization().name().toLowerCase(java.util.Locale.ROOT)
                            + " transforms the features " + modelPath + " reads, and it bundles no normaliser: if its"
                            + " weights were trained on untransformed features, set " + DataKeys.DATA_NORMALIZE.name()
                            + "=none");
                }
                return fitted;
            }
            if (fitted != null && !Normalization.alike(fitted, bundled)) {
                throw new BadInputException(resumed != null
                        ? "Cannot resume " + resumed.path() + ": the data at " + config.data().path()
                        + " differ from those the run began with (the normaliser fitted on them does not match the one "
                        + modelPath + " bundles); restore them, or start a new run"
                        : "Model file " + modelPath
                        + " bundles the normaliser its weights were trained with (normalizer.bin), but "
                        + DataKeys.DATA_NORMALIZE.name() + "="
                        + config.data().normalization().name().toLowerCase(java.util.Locale.ROOT)
                        + " fits a different one on this data: set " + DataKeys.DATA_NORMALIZE.name()
                        + "=none to use the bundled one (key model.path)");
            }
            if (fitted == null) {
                console.println("evoprune: features are normalised with the normaliser bundled in " + modelPath);
            }
            return bundled;
        }

        /**
         * A few examples through the user's network: its forward pass, its scores and loss, and one training step on
         * a copy. Whatever the shape checks above cannot see (a loss that takes other labels, a layer whose backprop
         * fails on these activations) fails here, before the run directory or any job.
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
                throw new BadInputException("Model " + config.model().path() + " reads the data at "
                        + config.data().path() + " but fails in " + step + shape + e.getMessage(), e);
            }
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
                            + validation.size() + " validation examples of " + config.data().path()
                            + ", so R² (1 - SSE/SST) is undefined; set fitness.metric=mse or mae, or give validation"
                            + " examples that vary");
                }
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

        /**
         * The search's fine-tune settings, with {@code finetune.network} resolved for this model and mask: the
         * physically smaller network where the rebuild supports both and trains alike, else the masked full-size
         * one, which is how the exported pruned model is trained.
         */
        private FineTuneSettings searchFineTune(Network base, Object architecture, PrunableLayout layout) {
            if (config.fineTuneNetwork() == RunConfig.FineTuneNetwork.MASKED) {
                return config.fineTune();
            }
            Network network = base != null ? base : Network.init(architecture);
            String refusal = MaskRebuild.refusal(network, layout);
            String differently = refusal == null ? MaskRebuild.trainsDifferently(network, layout) : null;
            if (refusal == null && differently == null) {
                return config.fineTune().withRebuilt(true);
            }
            if (refusal == null) { // rebuildable, but its training would not be the exported network's
                if (config.fineTuneNetwork() == RunConfig.FineTuneNetwork.REBUILT) {
                    console.println("evoprune: warning: " + EvaluationKeys.FINETUNE_NETWORK.name() + "=rebuilt, but "
                            + differently + ": the search scores candidates trained otherwise than the exported "
                            + PruningJob.PRUNED_MODEL + " (set it to auto or masked to score that training)");
                    return config.fineTune().withRebuilt(true);
                }
                console.println("evoprune: candidates are fine-tuned at full size with the mask held (" + differently
                        + "; the exported " + PruningJob.PRUNED_MODEL + " is trained so too)");
                return config.fineTune();
            }
            if (config.fineTuneNetwork() == RunConfig.FineTuneNetwork.REBUILT) {
                throw new BadInputException(EvaluationKeys.FINETUNE_NETWORK.name() + "=rebuilt cannot be used here: "
                        + refusal + "; set " + EvaluationKeys.FINETUNE_NETWORK.name() + "=auto or masked to fine-tune"
                        + " the candidates at full size with the mask held");
            }
            if (MaskRebuild.rebuildable(layout.granularity())) { // weight masks never rebuild: the rebuild step says so
                console.println("evoprune: candidates are fine-tuned at full size with the mask held (" + refusal
                        + ")");
            }
            return config.fineTune();
        }

        /**
         * A resumed run transforms data with the normaliser its first session saved, not a refit: refitted elsewhere
         * its statistics may differ in their last bits. One that does not refit alike means the data changed.
         */
        private RunInputs savedNormalizer(RunDirectory run, RunInputs inputs) throws IOException {
            if (!run.exists(PruningJob.NORMALIZER_FILE)) {
                return inputs;
            }
            byte[] saved;
            try {
                saved = run.readBytes(PruningJob.NORMALIZER_FILE);
            } catch (IOException e) { // permissions, a directory in its place: the run's file, not a fault of ours
                throw new BadInputException("Cannot resume " + run.path() + ": cannot read its "
                        + run.file(PruningJob.NORMALIZER_FILE) + ": " + e.getMessage(), e);
            }
            try {
                // Checked as apply and evaluate check it (SavedRun), so a CUSTOM one loads no class it names.
                // Deleting it is safe: the same normaliser comes back (bundled in the base, or fitted again on the
                // same data), and the checkpoint's digest, which covers its bytes, refuses one that differs.
                Normalization.check(saved, "The run's normaliser " + run.file(PruningJob.NORMALIZER_FILE), "the run"
                        + " cannot resume. Restore it from a copy, or delete it: the resume then takes the normaliser"
                        + " bundled in the base model, or fits it again on the data at " + DataKeys.DATA_PATH.name()
                        + ", and goes on only if that is the normaliser the run's checkpoint was scored with");
            } catch (IOException e) { // its message names the file
                throw new BadInputException(e.getMessage(), e);
            }
            if (!Normalization.alike(saved, inputs.normalizer())) {
                throw new BadInputException("Cannot resume " + run.path() + ": its " + PruningJob.NORMALIZER_FILE
                        + " does not match the normaliser of the data at " + config.data().path() + " (the data, or"
                        + " the model's bundled normaliser, changed since the run began); restore them, or start a new"
                        + " run");
            }
            return new RunInputs(inputs.splits(), inputs.base(), inputs.architecture(), saved, inputs.layout(),
                    inputs.fineTune());
        }
    }
}
