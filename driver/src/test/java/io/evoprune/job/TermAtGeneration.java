package io.evoprune.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.SparkPlugin;

/**
 * Sends the JVM a SIGTERM, as a scheduler ending a job does, as the first task of generation
 * {@link HaltAtGeneration#GENERATION} starts (local mode: the tasks run in the driver's JVM).
 */
public final class TermAtGeneration implements SparkPlugin {
    @Override
    public DriverPlugin driverPlugin() {
        return null;
    }

    @Override
    public ExecutorPlugin executorPlugin() {
        return new ExecutorPlugin() {
            @Override
            public void onTaskStart() {
                if (HaltAtGeneration.startsGeneration()) {
                    try {
                        new ProcessBuilder("kill", "-TERM", Long.toString(ProcessHandle.current().pid())).start();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        };
    }
}
