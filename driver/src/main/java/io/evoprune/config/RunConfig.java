package io.evoprune.config;

import static io.evoprune.config.DataKeys.*;
import static io.evoprune.config.EvaluationKeys.*;
import static io.evoprune.config.ModelKeys.*;
import static io.evoprune.config.OutputKeys.*;
import static io.evoprune.config.SearchKeys.*;

import io.evoprune.evaluation.Checks;
import io.evoprune.evaluation.FineTuneSettings;
import io.evoprune.evaluation.Fitness;
import io.evoprune.evaluation.Metric;
import io.evoprune.mask.Granularity;
import io.evoprune.mask.MaskSettings;
import java.util.Map;

/** The whole, validated configuration of one search run. Built only from {@link Settings}. */
public record RunConfig(DataConfig data, ModelConfig model, SearchConfig search, FineTuneSettings fineTune,
                        Fitness fitness, int partitions, int threads, double maxFailedFraction, String outputDir,
                        String runName, Map<String, String> settings, MaskSettings mask, RebuildConfig rebuild,
                        FineTuneNetwork fineTuneNetwork) {

    /** {@code finetune.network}: which network candidates are fine-tuned as during the search. */
    public enum FineTuneNetwork { AUTO, MASKED, REBUILT }

    public RunConfig {
        Checks.atLeast(EVAL_PARTITIONS.name(), partitions, 0);
        Checks.atLeast(EVAL_THREADS.name(), threads, 1);
        Checks.inRange(EVAL_MAX_FAILED.name(), maxFailedFraction, 0, 1);
        if (outputDir.isBlank()) {
            throw new IllegalArgumentException(OUTPUT_DIR.name() + " must name a folder, but was empty");
        }
        if (!runName.isEmpty() && !runName.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException(OUTPUT_RUN_NAME.name()
                    + " may hold only letters, digits, '.', '_' and '-', but was '" + runName + "'");
        }
        if (!fitness.metric().appliesTo(data.regression())) {
            throw new IllegalArgumentException(FITNESS_METRIC.name() + "=" + fitness.metric().configName()
                    + " does not apply to " + (data.regression() ? "regression" : "classification") + " data ("
                    + DATA_TASK.name() + ")");
        }
        settings = Map.copyOf(settings);
    }

    public static RunConfig from(Settings s) {
        try {
            return read(s);
        } catch (IllegalArgumentException e) {
            throw s.located(e); // a value from a job file is fixed there: say which file
        }
    }

    private static RunConfig read(Settings s) {
        DataConfig data = DataConfig.from(s);
        String metric = s.string(FITNESS_METRIC.name());
        Metric fitnessMetric = s.isAuto(FITNESS_METRIC.name()) ? (data.regression() ? Metric.R2 : Metric.ACCURACY)
                : Metric.parse(FITNESS_METRIC.name(), metric);
        return new RunConfig(data, ModelConfig.from(s), SearchConfig.from(s),
                new FineTuneSettings(s.integer(FINETUNE_EPOCHS.name()), s.integer(FINETUNE_MAX_BATCHES.name()),
                        s.integer(FINETUNE_BATCH.name()), s.decimal(FINETUNE_LR.name())),
                new Fitness(fitnessMetric, Fitness.Size.parse(FITNESS_SIZE.name(), s.string(FITNESS_SIZE.name())),
                        s.decimal(FITNESS_TARGET.name()), s.decimal(FITNESS_PENALTY.name())),
                s.integer(EVAL_PARTITIONS.name()), s.integer(EVAL_THREADS.name()), s.decimal(EVAL_MAX_FAILED.name()),
                s.string(OUTPUT_DIR.name()), s.string(OUTPUT_RUN_NAME.name()), s.asMap(), mask(s),
                RebuildConfig.from(s),
                Checks.choice(FineTuneNetwork.class, FINETUNE_NETWORK.name(), s.string(FINETUNE_NETWORK.name())));
    }

    private static MaskSettings mask(Settings s) {
        return new MaskSettings(Granularity.parse(MASK_GRANULARITY.name(), s.string(MASK_GRANULARITY.name())),
                MaskSettings.names(s.string(MaskKeys.MASK_INCLUDE.name())),
                MaskSettings.names(s.string(MaskKeys.MASK_EXCLUDE.name())), s.decimal(MaskKeys.MASK_MIN_KEPT.name()));
    }
}
