package io.evoprune.cli;

import io.evoprune.checkpoint.ResumeSettings;
import io.evoprune.config.RunConfig;
import io.evoprune.config.Settings;
import io.evoprune.farm.SparkSetup;
import io.evoprune.job.BadInputException;
import io.evoprune.job.PruningJob;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code evoprune run}: one search, configured by defaults, a job file, Spark settings and overrides. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Search for a pruning mask and write the run directory.",
                "With --resume, continue an interrupted run in place from its last checkpoint, with its own saved "
                        + "configuration; it ends with the result an uninterrupted run reaches."})
final class RunCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "Job file (Java properties) of configuration keys.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one configuration key (repeatable).")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--resume", paramLabel = "RUN_DIR",
            description = "Continue the interrupted run in RUN_DIR (any Hadoop path). Its saved config.properties is "
                    + "used; --set may change only evaluation.partitions and evaluation.max-failed-fraction.")
    String resume;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master when not launched by spark-submit (default: local[*]).")
    String master;

    @Override
    public Integer call() throws Exception {
        SparkConf spark = new SparkConf();
        if (master != null) {
            spark.setMaster(master);
        }
        if (resume != null) {
            if (config != null) {
                throw new BadInputException("--config cannot be used with --resume: a resumed run keeps the "
                        + "configuration saved in " + resume);
            }
            RunConfig run = Main.configuration(() -> RunConfig.from(resumeSettings(spark)));
            new PruningJob(run, System.out).resume(spark, resume);
            return Main.OK;
        }
        RunConfig run = Main.configuration(() -> RunConfig.from(settings(spark)));
        new PruningJob(run, System.out).run(spark);
        return Main.OK;
    }

    /** The run's saved settings, then the allowed ones of {@code spark.evoprune.*} and {@code --set}. */
    private Settings resumeSettings(SparkConf spark) {
        Settings saved = ResumeSettings.saved(ResumeSettings.reopen(resume, SparkSetup.hadoopConfiguration(spark)));
        return ResumeSettings.override(ResumeSettings.override(saved, fromSpark(spark),
                "Spark configuration (" + SparkSetup.PREFIX + "*)"), overrides, Settings.COMMAND_LINE);
    }

    private static Map<String, String> fromSpark(SparkConf spark) {
        Map<String, String> fromSpark = new LinkedHashMap<>();
        for (var entry : spark.getAllWithPrefix(SparkSetup.PREFIX)) {
            fromSpark.put(entry._1(), entry._2());
        }
        return fromSpark;
    }

    /** Defaults, then the job file, then {@code spark.evoprune.*} from Spark, then {@code --set}. */
    private Settings settings(SparkConf spark) {
        Settings settings = Settings.defaults();
        if (config != null) {
            settings = settings.withFile(config);
        }
        return settings.with(fromSpark(spark), "Spark configuration (" + SparkSetup.PREFIX + "*)")
                .with(overrides, Settings.COMMAND_LINE);
    }
}
