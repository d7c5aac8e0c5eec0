package io.evoprune.cli;

import io.evoprune.checkpoint.ResumeSettings;
import io.evoprune.config.ModelKeys;
import io.evoprune.config.RunConfig;
import io.evoprune.config.Settings;
import io.evoprune.data.Normalization;
import io.evoprune.job.BadInputException;
import io.evoprune.job.PruningJob;
import io.evoprune.job.RebuildStep;
import io.evoprune.report.ReportInputs;
import io.evoprune.report.RunDirectory;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * A run directory given to evaluate or apply as {@code --run}: its saved configuration, for the run's own splits,
 * and the files these commands default to.
 */
final class SavedRun {
    private final RunDirectory run;
    private final Settings saved;

    private SavedRun(RunDirectory run, Settings saved) {
        this.run = run;
        this.saved = saved;
    }

    static SavedRun open(String location, Configuration hadoop) {
        RunDirectory run;
        try {
            run = RunDirectory.open(location, hadoop);
        } catch (IOException | IllegalArgumentException e) { // Hadoop's Path answers "" or "exp:1" with the latter
            throw new BadInputException(e.getMessage() + " (--run)", e);
        }
        return new SavedRun(run, ResumeSettings.saved(run));
    }

    /**
     * A command's configuration: the keys it reads ({@link Main#reads}) from {@code saved}'s configuration when there
     * is one, else the defaults, under {@code --set} options and {@code --data} (when not null).
     */
    static RunConfig configuration(SavedRun saved, boolean rebuild, Map<String, String> overrides, String data) {
        Map<String, String> keys = new LinkedHashMap<>(overrides);
        if (data != null) {
            keys.put("data.path", data);
        }
        Settings from = saved != null ? saved.keys(rebuild) : Settings.defaults();
        return Main.configuration(() -> RunConfig.from(from.with(keys, Settings.COMMAND_LINE)));
    }

    private Settings keys(boolean rebuild) {
        Map<String, String> keys = new LinkedHashMap<>();
        saved.asMap().forEach((k, v) -> {
            if (Main.reads(k, rebuild)) {
                keys.put(k, v);
            }
        });
        return Settings.defaults().with(keys, "saved configuration " + run.file(RunDirectory.CONFIGURATION));
    }

    /** The run's base: the base-model.zip it pretrained, else the file its model.path names. */
    String base() {
        if (exists(PruningJob.BASE_MODEL)) {
            return run.file(PruningJob.BASE_MODEL).toString();
        }
        String path = saved.string(ModelKeys.MODEL_PATH.name());
        if (path.isEmpty()) {
            throw new BadInputException("Run directory " + run.path() + " (--run) has no " + PruningJob.BASE_MODEL
                    + " and its " + RunDirectory.CONFIGURATION + " sets no " + ModelKeys.MODEL_PATH.name());
        }
        return path;
    }

    /** The model the run exported: rebuilt, else masked (weight masks), else the pruned network at full size. */
    String exported() {
        List<String> files = List.of(RebuildStep.MODEL, RebuildStep.MASKED_MODEL, PruningJob.PRUNED_MODEL);
        for (String name : files) {
            if (exists(name)) {
                return run.file(name).toString();
            }
        }
        throw new BadInputException("Run directory " + run.path() + " (--run) has no exported model ("
                + String.join(", ", files) + "): did its search finish?");
    }

    /** A normaliser and where it came from, as "features are normalised with ..." names it. */
    record Normaliser(byte[] bytes, String from) {
    }

    /**
     * The normaliser evaluate and apply transform the data with: the one bundled in {@code file} ({@code bundled},
     * its weights were trained with it), else the run's normalizer.bin (a run given a model without one still fitted
     * and trained with its data.normalize), else none. A bundled one other than the run's is refused: the model then
     * expects other inputs than the run's data, and either choice would score it on the wrong ones.
     */
    static Normaliser normaliser(SavedRun saved, byte[] bundled, String file) {
        byte[] own = saved == null ? null : saved.normalizer();
        if (bundled != null && own != null && !Normalization.alike(bundled, own)) {
            throw new BadInputException("Model file " + file + " bundles a normaliser (normalizer.bin) other than the"
                    + " run's " + saved.run.file(PruningJob.NORMALIZER_FILE) + " (--run): it expects differently"
                    + " transformed inputs than the run trained and scored on; give a model of this run, or leave out"
                    + " --run");
        }
        if (bundled != null) {
            return new Normaliser(bundled, "the normaliser bundled in " + file);
        }
        return own == null ? null : new Normaliser(own, "the run's " + saved.run.file(PruningJob.NORMALIZER_FILE)
                + " (" + file + " bundles none)");
    }

    /** The run's normalizer.bin, checked as a bundled one is; null where the run fitted none. */
    private byte[] normalizer() {
        if (!exists(PruningJob.NORMALIZER_FILE)) {
            return null;
        }
        String file = run.file(PruningJob.NORMALIZER_FILE).toString();
        byte[] bytes;
        try {
            bytes = run.readBytes(PruningJob.NORMALIZER_FILE);
        } catch (IOException e) {
            throw new BadInputException("Cannot read " + file + " (--run): " + e.getMessage(), e);
        }
        try {
            // Not a model's: bundling it again does not apply, and deleting it would score on raw features.
            Normalization.check(bytes, file, "restore it from a copy");
        } catch (IOException e) { // its message names the file
            throw new BadInputException(e.getMessage() + " (--run)", e);
        }
        return bytes;
    }

    /** The run's best-mask.json. */
    String mask() {
        if (!exists(ReportInputs.BEST_MASK)) {
            throw new BadInputException("Run directory " + run.path() + " (--run) has no " + ReportInputs.BEST_MASK
                    + ": did its search finish?");
        }
        return run.file(ReportInputs.BEST_MASK).toString();
    }

    private boolean exists(String name) {
        try {
            return run.exists(name);
        } catch (IOException e) {
            throw new BadInputException("Cannot read " + run.file(name) + ": " + e.getMessage(), e);
        }
    }
}
