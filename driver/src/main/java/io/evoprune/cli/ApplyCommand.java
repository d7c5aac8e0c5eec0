package io.evoprune.cli;

import io.evoprune.config.RunConfig;
import io.evoprune.data.DataSplits;
import io.evoprune.data.DataLoader;
import io.evoprune.data.Normalization;
import io.evoprune.evaluation.PairedComparison;
import io.evoprune.evaluation.Scores;
import io.evoprune.farm.SparkSetup;
import io.evoprune.job.BadInputException;
import io.evoprune.job.MaskFile;
import io.evoprune.job.RebuildStep;
import io.evoprune.job.RunInputs;
import io.evoprune.mask.Mask;
import io.evoprune.mask.MaskApplier;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.model.ModelFile;
import io.evoprune.model.ModelFiles;
import io.evoprune.model.NativeThreads;
import io.evoprune.model.Network;
import io.evoprune.rebuild.Recovery;
import io.evoprune.report.MaskReport;
import io.evoprune.report.RunDirectory;
import io.evoprune.report.RunSummary;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code evoprune apply}: a saved mask applied to a model and the model rebuilt smaller, without a search. */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = "Apply a saved mask (a run's best-mask.json) to a model, rebuild it without the pruned units "
                + "and export it; with --data (or --run) also check equivalence, recover, and measure base vs rebuilt.")
final class ApplyCommand implements Callable<Integer> {
    /** The dense control and the export against it (with data and recovery epochs, given a dense model). */
    static final String CONTROL = "control.json";

    /**
     * {@value #CONTROL}: the given model after the same recovery as {@code file} had, without the mask, and
     * {@code file} against it on test (null where an output is not finite), as a run's summary.json has them.
     */
    record Control(String file, RunSummary.Network control, PairedComparison againstControl) {
    }

    @Option(names = "--model", paramLabel = "M",
            description = "Model file, as model.path: a DL4J ModelSerializer zip or a Keras HDF5 file. With --run,"
                    + " default: the run's base (base-model.zip, else the run's model.path).")
    String model;

    @Option(names = "--mask", paramLabel = "K",
            description = "Mask JSON (best-mask.json of a run). With --run, default: the run's best-mask.json.")
    String maskFile;

    @Option(names = "--out", required = true, paramLabel = "O", description = "Output folder; must not exist or be empty.")
    String out;

    @Option(names = "--data", paramLabel = "D",
            description = "Dataset (a folder or file, as data.path, in data.format): enables the equivalence check, "
                    + "recovery fine-tuning and measurements. With --run, default: the run's data.path (which"
                    + " --set data.path may override; without --run, --set data.path is refused: give --data).")
    String data;

    @Option(names = "--run", paramLabel = "RUN_DIR",
            description = "A run directory: its config.properties gives the rebuild.* and data.* keys, search.seed"
                    + " and evaluation.threads, so that the data is split as the run split it (--data and --set still"
                    + " win), and --mask, --model and --data default to the run's. A model that bundles no"
                    + " normaliser gets the run's normalizer.bin, if it has one (a different bundled one is refused).")
    String run;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a rebuild.*, data.* key, search.seed (the data shuffle) or evaluation.threads.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Override
    public Integer call() throws IOException {
        Main.requireReadKeys("apply", overrides, true);
        Main.requireDataOption("apply", overrides, data, run);
        Configuration hadoop = SparkSetup.hadoopConfiguration();
        SavedRun savedRun = run == null ? null : SavedRun.open(run, hadoop);
        if (savedRun != null) {
            maskFile = maskFile != null ? maskFile : savedRun.mask();
            model = model != null ? model : savedRun.base();
        } else if (model == null || maskFile == null) {
            throw new BadInputException("evoprune apply needs --model and --mask, or --run RUN_DIR");
        }
        RunConfig config = SavedRun.configuration(savedRun, true, overrides, data);
        NativeThreads.limit(config.threads());
        // With --run, the run's data.path; a --set data.path without --run was refused above, as it has no effect.
        boolean withData = data != null || savedRun != null;

        // Everything is read and checked before the output folder is created.
        Network base;
        byte[] bundled;
        try {
            ModelFile file = ModelFiles.read(model, "--model", hadoop);
            base = file.network();
            bundled = file.normalizer();
        } catch (IOException | IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        SavedRun.Normaliser normaliser = SavedRun.normaliser(savedRun, bundled, model);
        byte[] normalizer = normaliser == null ? null : normaliser.bytes();
        MaskReport saved = MaskFile.read(maskFile, hadoop);
        MaskFile.requireLayers(saved, maskFile, base, model);
        PrunableLayout layout;
        try {
            layout = PrunableLayout.of(base.configuration(), MaskFile.settings(saved, maskFile));
        } catch (IllegalArgumentException e) {
            // requireLayers refused what would blame mask.layers.include; what is left is the model's structure.
            throw new BadInputException("Mask file " + maskFile + " (granularity '" + saved.granularity() + "') does not"
                    + " fit model " + model + ": " + e.getMessage() + "; was the mask made for another model?", e);
        }
        Mask mask = MaskFile.check(saved, maskFile, layout, base, model);
        try {
            Recovery.checkFrozen(base, config.rebuild().recovery().frozenLayers());
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        RebuildStep.Data splits = !withData ? null : data(config, base.configuration(), normalizer, hadoop, model);
        if (splits != null && normaliser != null) {
            System.out.println("evoprune: features are normalised with " + normaliser.from());
        }

        Network masked = Network.create(base.configuration(), base.params());
        MaskApplier.apply(masked, layout, mask);
        RunDirectory run;
        try {
            run = RunDirectory.create(out, "--out", "--out", hadoop);
        } catch (IOException e) {
            // the location is the user's choice: an existing, unwritable or non-folder path is bad input
            throw new BadInputException(e.getMessage(), e);
        }
        run.writeJson("mask.json", MaskReport.of(mask, layout, base));
        // A run's pruned-model.zip already has the mask's units at zero: it is no dense base to compare with. Only
        // comparisons (with data) say so, so only they pay for the parameter-sized difference.
        boolean alreadyMasked = splits != null && masked.params().sub(base.params()).amaxNumber().doubleValue() == 0;
        RebuildStep rebuild = new RebuildStep(config.rebuild(), run, System.out, alreadyMasked ? "input" : "base");
        RebuildStep.Exported exported = rebuild.run(base, masked, layout, mask, splits, config.search().seed(),
                normalizer);
        if (splits != null && config.rebuild().recovery().epochs() > 0) {
            // Already masked, the "control" (the same recovery without the mask) would be the very same network.
            if (alreadyMasked) {
                System.out.println("evoprune: no dense control: " + model + " already has this mask's units at zero,"
                        + " so the same recovery without the mask is this very network; compare " + exported.file()
                        + " with the dense base: evoprune evaluate --model " + run.file(exported.file())
                        + (savedRun != null ? " --run " + this.run : " --base DENSE_MODEL")
                        + (data != null ? " --data " + data : ""));
            } else {
                // Recovery is training the base never had: as in a run, the base given the same is the fair reference.
                Network control = rebuild.recovered(base, splits.fineTune(), config.search().seed());
                PairedComparison paired = PairedComparison.of(control, exported.network(), splits.test(),
                        splits.regression());
                System.out.println("evoprune: " + exported.file() + " against the dense control (the base given the"
                        + " same recovery), test, paired: " + (paired == null ? "not comparable (an output is not"
                        + " finite)" : paired.describe("control")));
                // Kept with the export, as a run's summary.json keeps its control: the printed line is not all.
                run.writeJson(CONTROL, new Control(exported.file(), new RunSummary.Network(control.numParams(),
                        Scores.of(control, splits.validation(), splits.regression()).metrics(),
                        Scores.of(control, splits.test(), splits.regression()).metrics()), paired));
            }
        }
        run.complete();
        System.out.println(run.exists(RebuildStep.MODEL) ? "evoprune: rebuilt model in " + run.file(RebuildStep.MODEL)
                : "evoprune: masked model in " + run.file(RebuildStep.MASKED_MODEL));
        return Main.OK;
    }

    /**
     * The dataset's splits (any data.format), viewed as the model reads them (e.g. flat rows for a dense first layer)
     * and transformed by {@code normalizer} (the model's bundled one, else the run's), if any.
     */
    private static RebuildStep.Data data(RunConfig config, Object conf, byte[] normalizer, Configuration hadoop,
                                         String file) {
        DataSplits splits;
        try {
            if (config.rebuild().recovery().epochs() > 0) { // recovery trains on the training part
                config.data().source().requireApart(hadoop);
            }
            DataLoader.Parts parts = RunInputs.loadParts(config, hadoop);
            splits = DataSplits.cut(parts.train(), parts.test(), config.data().fineTuneSize(),
                    config.data().validationSize(), config.data().testSize());
        } catch (IOException | IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        String model = "Model " + file;
        String data = config.data().path();
        DataSplits fitted = RunInputs.fit(conf, model, data,
                splits.map(Normalization.toNormaliserUnits(normalizer, config.data().source().format())));
        return new RebuildStep.Data(RunInputs.normalised(normalizer, fitted.fineTune(), model, data),
                RunInputs.normalised(normalizer, fitted.validation(), model, data),
                RunInputs.normalised(normalizer, fitted.test(), model, data), config.data().regression());
    }
}
