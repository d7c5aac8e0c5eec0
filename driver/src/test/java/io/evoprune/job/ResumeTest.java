package io.evoprune.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fault: the driver dies between generations. A real driver JVM is killed, as SIGKILL would, when generation 2's
 * evaluations start (see {@link HaltAtGeneration}): generation 1 is checkpointed, generation 2 is not.
 * {@code run --resume} must then reach exactly what an uninterrupted run reaches.
 *
 * <p>Killing a separate process (rather than stopping a search in-process) proves that resuming uses nothing
 * but what is on disk, and that whatever the kill interrupts (a generation's Spark job, a write in progress) is
 * never mistaken for finished work. A driver sent SIGTERM at the same point (a scheduler ending the job) says
 * what it keeps and how to continue before it exits.
 */
@Tag("integration")
class ResumeTest {
    private static final int GENERATIONS = 3;

    @Test
    void killedDriverResumesToTheUninterruptedResult() throws Exception {
        Path out = TinyRuns.newFolder("resume");
        // No model.path: the driver pretrains the built-in network and saves it in the run, as a user's first run does.
        Map<String, String> killed = TinyRuns.settings(out, "killed", "search.generations", "" + GENERATIONS);
        Path run = out.resolve("killed");

        // 1. A driver JVM, killed as generation 2's evaluations start: a known point, not a race with a poll.
        Process driver = startDriver(TinyRuns.args(killed, "run"), out.resolve("killed-driver.log"),
                HaltAtGeneration.class);
        try {
            assertTrue(driver.waitFor(150, TimeUnit.SECONDS), "the driver did not stop within 150 s");
        } finally {
            driver.destroyForcibly();
            driver.waitFor(30, TimeUnit.SECONDS);
        }
        assertEquals(HaltAtGeneration.EXIT_STATUS, driver.exitValue(), "halted by the plugin, see killed-driver.log");
        assertTrue(Files.exists(run.resolve("_RUNNING")), "the killed run is marked unfinished");
        assertFalse(Files.exists(run.resolve("_SUCCESS")), "the kill landed before the run finished");
        assertTrue(Files.size(run.resolve("checkpoint/generation-000001.ckpt")) > 0);
        assertFalse(Files.exists(run.resolve("checkpoint/generation-000002.ckpt")));
        assertEquals(2, Files.readAllLines(run.resolve("generations.jsonl")).size(), "generations 0 and 1 recorded");

        // A copy whose base model was replaced by another of the same shape: its cached fitness would not hold.
        Path swapped = out.resolve("swapped");
        try (Stream<Path> files = Files.walk(run)) {
            for (Path f : files.toList()) {
                Files.copy(f, swapped.resolve(run.relativize(f).toString()));
            }
        }
        Files.copy(TinyRuns.baseModel(), swapped.resolve("base-model.zip"), StandardCopyOption.REPLACE_EXISTING);
        // A generation recorded after the last checkpoint: a resume would drop it, but a refused one touches nothing.
        Path generations = swapped.resolve("generations.jsonl");
        Files.writeString(generations, Files.readString(generations) + "{\"generation\":2}\n");
        byte[] recorded = Files.readAllBytes(generations);
        TinyRuns.Outcome refused = TinyRuns.execute("run", "--resume", swapped.toString());
        assertEquals(2, refused.exitCode(), refused.err());
        assertTrue(refused.err().contains(": the base model has changed since the run began (its checkpoint's digest"
                + " of them does not match), so the fitness of its ") && refused.err().contains("Restore the run's"
                + " base-model.zip (or delete it to pretrain the base again) as they were"), refused.err());
        assertFalse(refused.err().contains("data.path"), "the data did not change: " + refused.err());
        // Without the digests of its parts (a run of an earlier evoprune), the message names every part.
        Files.delete(swapped.resolve(PruningJob.INPUTS_FILE));
        TinyRuns.Outcome unnamed = TinyRuns.execute("run", "--resume", swapped.toString());
        assertEquals(2, unnamed.exitCode(), unnamed.err());
        assertTrue(unnamed.err().contains(": the base model, the data or how this evoprune resolves the fine-tune or"
                + " fitness settings of its config.properties have changed since the run began") && unnamed.err()
                .contains("Restore the run's base-model.zip (or delete it to pretrain the base again), the files at"
                + " data.path"), unnamed.err());
        assertFalse(Files.exists(swapped.resolve("_SUCCESS")));
        org.junit.jupiter.api.Assertions.assertArrayEquals(recorded, Files.readAllBytes(generations),
                "a refused resume leaves generations.jsonl as it was");

        // A copy whose config.properties was edited by hand: another seed, which the checkpoint's settings refuse.
        Path edited = out.resolve("edited");
        try (Stream<Path> files = Files.walk(run)) {
            for (Path f : files.toList()) {
                Files.copy(f, edited.resolve(run.relativize(f).toString()));
            }
        }
        Path props = edited.resolve("config.properties");
        Files.writeString(props, Files.readString(props).replace("search.seed=42", "search.seed=7"));
        TinyRuns.Outcome editedRefused = TinyRuns.execute("run", "--resume", edited.toString());
        assertEquals(2, editedRefused.exitCode(), editedRefused.err());
        assertTrue(editedRefused.err().contains("search.seed is '7' there but was '42'"), editedRefused.err());

        // 2. Resume it (changing only a key that may change; repeating a saved value is fine), then run the same
        // search without interruption.
        TinyRuns.Outcome resumed = TinyRuns.execute("run", "--resume", run.toString(),
                "--set", "evaluation.partitions=2", "--set", "search.seed=42");
        assertEquals(0, resumed.exitCode(), resumed.err());
        // The same search on the same base (the killed run's saved one: pretraining it again would only cost time).
        Map<String, String> plain = TinyRuns.settings(out, "uninterrupted", "search.generations", "" + GENERATIONS,
                "model.path", run.resolve("base-model.zip").toString());
        TinyRuns.Outcome reference = TinyRuns.execute(TinyRuns.args(plain, "run"));
        assertEquals(0, reference.exitCode(), reference.err());
        Path uninterrupted = out.resolve("uninterrupted");

        // 3. Same best mask, same generations (timings aside), same summary.
        assertTrue(Files.exists(run.resolve("_SUCCESS")));
        assertFalse(Files.exists(run.resolve("_RUNNING")));
        assertEquals(TinyRuns.json(uninterrupted.resolve("best-mask.json")), TinyRuns.json(run.resolve("best-mask.json")));
        assertEquals(GENERATIONS + 1, TinyRuns.generationsWithoutTimings(run).size());
        assertEquals(TinyRuns.generationsWithoutTimings(uninterrupted), TinyRuns.generationsWithoutTimings(run));
        assertEquals(TinyRuns.summaryWithoutTimings(uninterrupted), TinyRuns.summaryWithoutTimings(run));
        try (Stream<Path> files = Files.list(run.resolve("checkpoint"))) {
            assertEquals(List.of("generation-000002.ckpt", "generation-000003.ckpt"),
                    files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ckpt")).sorted().toList(),
                    "the two newest checkpoints are kept");
        }

        // A run killed after its last checkpoint resumes straight to the final steps: no evaluation runs in that
        // session, and the summary still says where the run's evaluations ran (the checkpoint keeps the counters).
        Path lastOnly = out.resolve("last-only");
        try (Stream<Path> files = Files.walk(run)) {
            for (Path f : files.toList()) {
                Files.copy(f, lastOnly.resolve(run.relativize(f).toString()));
            }
        }
        for (String done : new String[] {"_SUCCESS", "summary.json"}) {
            Files.deleteIfExists(lastOnly.resolve(done));
        }
        Files.writeString(lastOnly.resolve("_RUNNING"), "");
        TinyRuns.Outcome finished = TinyRuns.execute("run", "--resume", lastOnly.toString());
        assertEquals(0, finished.exitCode(), finished.err());
        assertTrue(finished.out().contains("the search had finished (generation limit (" + GENERATIONS + "))")
                && !finished.out().contains("evoprune: Spark "), "no Spark context for nothing to evaluate: "
                + finished.out());
        assertEquals(TinyRuns.summaryWithoutTimings(uninterrupted), TinyRuns.summaryWithoutTimings(lastOnly));

        // 4. A finished run cannot be resumed, and nothing in it changes.
        byte[] summary = Files.readAllBytes(run.resolve("summary.json"));
        TinyRuns.Outcome again = TinyRuns.execute("run", "--resume", run.toString());
        assertEquals(2, again.exitCode());
        assertTrue(again.err().contains("is complete"), again.err());
        assertEquals(new String(summary), Files.readString(run.resolve("summary.json")));
    }

    @Test
    void terminatedDriverSaysHowToContinue() throws Exception {
        Path out = TinyRuns.newFolder("sigterm");
        Map<String, String> settings = TinyRuns.settings(out, "terminated", "search.generations", "" + GENERATIONS,
                "model.path", TinyRuns.baseModel().toString());
        Path run = out.resolve("terminated");
        Path log = out.resolve("terminated-driver.log");
        Process driver = startDriver(TinyRuns.args(settings, "run"), log, TermAtGeneration.class);
        try {
            assertTrue(driver.waitFor(150, TimeUnit.SECONDS), "the driver did not stop within 150 s");
        } finally {
            driver.destroyForcibly();
            driver.waitFor(30, TimeUnit.SECONDS);
        }
        String printed = Files.readString(log);
        assertEquals(143, driver.exitValue(), "ended by SIGTERM (128 + 15): " + printed);
        // The JVM waits for the run to say so before it ends: what is kept, and the command that continues it.
        assertTrue(printed.contains("The search was interrupted: the JVM is shutting down (SIGTERM or Ctrl-C)"),
                printed);
        assertTrue(printed.contains("keeps the checkpoint of generation " + (HaltAtGeneration.GENERATION - 1)
                + "; continue the run with: evoprune run --resume " + run), printed);
        assertTrue(Files.size(run.resolve("checkpoint/generation-000001.ckpt")) > 0);
        assertTrue(Files.exists(run.resolve("_RUNNING")), "the run is marked unfinished");
        // Stopped mid-generation, Spark's closing pools refuse the jobs' callbacks: no trace may bury those lines.
        assertFalse(printed.contains("\tat ") || printed.contains("Exception"), printed);
    }

    @Test
    void aDeletedNormaliserIsFittedAgainAndWrittenBack() throws Exception {
        // What the message for a damaged normalizer.bin advises: delete it and resume. model.path bundles no
        // normaliser, so the resume fits it again on the data; the checkpoint's digest accepts only the same one.
        Path out = TinyRuns.newFolder("normaliser");
        TinyRuns.Outcome first = TinyRuns.execute(TinyRuns.args(TinyRuns.settings(out, "run", "data.normalize",
                "standardize", "model.path", TinyRuns.baseModel().toString(), "search.generations", "1",
                "rebuild.measure.repeats", "1", "rebuild.measure.warmup", "0"), "run"));
        assertEquals(0, first.exitCode(), first.err());
        Path run = out.resolve("run");
        byte[] normalizer = Files.readAllBytes(run.resolve(PruningJob.NORMALIZER_FILE));
        var summary = TinyRuns.summaryWithoutTimings(run);
        // As a driver killed after its last checkpoint leaves it, without its normaliser.
        for (String gone : new String[] {"_SUCCESS", "summary.json", PruningJob.NORMALIZER_FILE}) {
            Files.delete(run.resolve(gone));
        }
        Files.writeString(run.resolve("_RUNNING"), "");
        TinyRuns.Outcome resumed = TinyRuns.execute("run", "--resume", run.toString());
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertEquals(summary, TinyRuns.summaryWithoutTimings(run));
        assertTrue(java.util.Arrays.equals(normalizer, Files.readAllBytes(run.resolve(PruningJob.NORMALIZER_FILE))),
                "the run's normaliser is back, the same bytes");
    }

    @Test
    void aResumeOnChangedDataNamesTheDataAlone() throws Exception {
        // A run on its own copy of the data, finished, then made interrupted again, as after a kill.
        Path out = TinyRuns.newFolder("changed-data");
        Path data = out.resolve("data");
        Files.createDirectories(data);
        try (Stream<Path> files = Files.list(TinyRuns.ROOT.resolve("data/fashion-mnist-small"))) {
            for (Path f : files.toList()) {
                Files.copy(f, data.resolve(f.getFileName()));
            }
        }
        TinyRuns.Outcome first = TinyRuns.execute(TinyRuns.args(TinyRuns.settings(out, "run", "data.path",
                data.toString(), "model.path", TinyRuns.baseModel().toString(), "search.generations", "1",
                "rebuild.measure.repeats", "1", "rebuild.measure.warmup", "0"), "run"));
        assertEquals(0, first.exitCode(), first.err());
        Path run = out.resolve("run");
        assertTrue(Files.size(run.resolve(PruningJob.INPUTS_FILE)) > 0, "the run saved its inputs' digests");
        for (String gone : new String[] {"_SUCCESS", "summary.json"}) {
            Files.delete(run.resolve(gone));
        }
        Files.writeString(run.resolve("_RUNNING"), "");

        // Every training label moved to the next class: same files, same sizes, other data.
        Path labels = data.resolve("train-labels-idx1-ubyte.gz");
        byte[] idx;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(labels))) {
            idx = in.readAllBytes();
        }
        for (int i = 8; i < idx.length; i++) { // after the IDX header: magic, count
            idx[i] = (byte) ((idx[i] + 1) % 10);
        }
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(labels))) {
            o.write(idx);
        }
        TinyRuns.Outcome refused = TinyRuns.execute("run", "--resume", run.toString());
        assertEquals(2, refused.exitCode(), refused.err());
        assertTrue(refused.err().contains(": the training data has changed since the run began") && refused.err()
                .contains("Restore the files at data.path (" + data + ") as they were, or start a new run"),
                refused.err());
        assertFalse(refused.err().contains("base model") || refused.err().contains("model.path"),
                "the model did not change: " + refused.err());
    }

    /**
     * The test JVM's classpath and JVM options (Spark's --add-opens among them) run a real driver, with
     * {@code plugin} ending it at a known point.
     */
    private static Process startDriver(String[] args, Path log, Class<?> plugin) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!option.startsWith("-Xmx")) {
                command.add(option);
            }
        }
        command.add("-Xmx1500m");
        command.add("-Dspark.ui.enabled=false");
        command.add("-Dspark.plugins=" + plugin.getName());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.evoprune.cli.Main");
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("OMP_NUM_THREADS", "1");
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return builder.start();
    }
}
