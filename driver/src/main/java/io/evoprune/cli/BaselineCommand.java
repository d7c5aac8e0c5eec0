package io.evoprune.cli;

import io.evoprune.config.MaskKeys;
import io.evoprune.config.ModelKeys;
import io.evoprune.config.RunConfig;
import io.evoprune.config.Settings;
import io.evoprune.farm.SparkSetup;
import io.evoprune.job.BaselineJob;
import io.evoprune.job.MaskFile;
import io.evoprune.mask.MaskSettings;
import io.evoprune.report.MaskReport;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code evoprune baseline}: the classic pruners at one kept fraction, optionally against a search's mask. */
@Command(name = "baseline", mixinStandardHelpOptions = true,
        description = "Run the classic pruners (baseline.methods) with the fine-tune budget of a search and write a table.")
final class BaselineCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "Job file (Java properties) of configuration keys.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one configuration key (repeatable).")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--mask", paramLabel = "FILE",
            description = "A run's best-mask.json: compared in the table, and its kept fraction used unless baseline.kept-fraction is set.")
    String mask; // a Hadoop location, as model.path: hdfs:// and s3a:// included

    @Override
    public Integer call() throws Exception {
        // The mask says what it masks, as for apply: its granularity and layers, under a job file and --set.
        Map<String, String> fromMask = new LinkedHashMap<>();
        MaskReport report = mask == null ? null : MaskFile.read(mask, SparkSetup.hadoopConfiguration());
        if (report != null) {
            MaskSettings saved = MaskFile.settings(report, mask);
            fromMask.put(ModelKeys.MASK_GRANULARITY.name(), saved.granularity().configName());
            fromMask.put(MaskKeys.MASK_INCLUDE.name(), String.join(",", saved.include()));
        }
        RunConfig run = Main.configuration(() -> {
            Settings settings = Settings.defaults().with(fromMask, "mask file " + mask);
            if (config != null) {
                settings = settings.withFile(config);
            }
            return RunConfig.from(settings.with(overrides, Settings.COMMAND_LINE));
        });
        new BaselineJob(run, System.out).run(mask, report);
        return Main.OK;
    }
}
