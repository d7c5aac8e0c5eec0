package io.evoprune.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.spark.SparkConf;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.TaskInfo;

/**
 * A driver listener for cluster tests ({@code spark.extraListeners}): appends one line per finished task
 * ({@code task <executor> <launch ms> <end ms>}) and per accumulator of each finished stage
 * ({@code accumulator <name>=<value>}) to the file named by {@link #FILE}, so a test can see after the run how
 * many tasks ran at once on each executor and what the stages counted.
 */
public final class TaskLog extends SparkListener {
    public static final String FILE = "spark.evoprune-test.task-log";
    private final Path file;

    public TaskLog(SparkConf conf) {
        this.file = Path.of(conf.get(FILE));
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        TaskInfo t = end.taskInfo();
        if (t.successful()) {
            // The driver marks a task finished after the executor has freed its slot and the next task may have
            // been launched into it; the executor's own time spent ends the span before that.
            TaskMetrics m = end.taskMetrics();
            long spent = m.executorDeserializeTime() + m.executorRunTime() + m.resultSerializationTime();
            append("task " + t.executorId() + " " + t.launchTime() + " " + (t.launchTime() + spent));
        }
    }

    @Override
    public void onStageCompleted(SparkListenerStageCompleted completed) {
        for (AccumulableInfo a : scala.jdk.javaapi.CollectionConverters.asJava(
                completed.stageInfo().accumulables().values())) {
            if (a.name().isDefined() && a.value().isDefined()) {
                append("accumulator " + a.name().get() + "=" + a.value().get());
            }
        }
    }

    private synchronized void append(String line) {
        try {
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
