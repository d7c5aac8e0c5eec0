package io.evoprune.cluster;

import io.evoprune.farm.SparkEvaluationFarm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;

/**
 * Kills one executor JVM as SIGKILL would (no shutdown hooks, exit status 137) as it starts a task of generation
 * 0, once per application: the first executor to create the marker file (spark conf {@value #MARKER}) writes its
 * id and pid there and halts; every other task, retries and replacement executors included, finds the file and runs.
 * A kill from outside the JVM would race the task it means to interrupt.
 */
public final class HaltFirstExecutor implements SparkPlugin {
    static final String MARKER = "spark.evoprune.test.halt-marker";
    static final int EXIT_STATUS = 137;

    @Override
    public DriverPlugin driverPlugin() {
        return null;
    }

    @Override
    public ExecutorPlugin executorPlugin() {
        return new ExecutorPlugin() {
            private Path marker;
            private String executorId;

            @Override
            public void init(PluginContext ctx, Map<String, String> extraConf) {
                marker = Path.of(ctx.conf().get(MARKER));
                executorId = ctx.executorID();
            }

            @Override
            public void onTaskStart() {
                // Runs in the task's thread, which sees the job group the farm sets ("spark.jobGroup.id").
                String group = TaskContext.get().getLocalProperty("spark.jobGroup.id");
                if (!SparkEvaluationFarm.jobGroup(0).equals(group)) {
                    return;
                }
                try {
                    Files.writeString(marker, executorId + " " + ProcessHandle.current().pid(), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE, StandardOpenOption.SYNC);
                } catch (FileAlreadyExistsException e) {
                    return;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                Runtime.getRuntime().halt(EXIT_STATUS);
            }
        };
    }
}
