package io.evoprune.cli;

import io.evoprune.config.RunConfig;
import io.evoprune.config.Settings;
import io.evoprune.farm.SparkSetup;
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
        description = "Search for a pruning mask and write the run directory.")
final class RunCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "Job file (Java properties) of configuration keys.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one configuration key (repeatable).")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master when not launched by spark-submit (default: local[*]).")
    String master;

    @Override
    public Integer call() throws Exception {
        SparkConf spark = new SparkConf();
        if (master != null) {
            spark.setMaster(master);
        }
        RunConfig run = RunConfig.from(settings(spark));
        new PruningJob(run, System.out).run(spark);
        return Main.OK;
    }

    /** Defaults, then the job file, then {@code spark.evoprune.*} from Spark, then {@code --set}. */
    private Settings settings(SparkConf spark) {
        Settings settings = Settings.defaults();
        if (config != null) {
            settings = settings.withFile(config);
        }
        Map<String, String> fromSpark = new LinkedHashMap<>();
        for (var entry : spark.getAllWithPrefix(SparkSetup.PREFIX)) {
            fromSpark.put(entry._1(), entry._2());
        }
        return settings.with(fromSpark, "Spark configuration (" + SparkSetup.PREFIX + "*)")
                .with(overrides, "--set options");
    }
}
