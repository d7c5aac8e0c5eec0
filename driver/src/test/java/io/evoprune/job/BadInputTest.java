package io.evoprune.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.checkpoint.CheckpointStore;
import io.evoprune.checkpoint.CheckpointStoreTest;
import io.evoprune.config.Settings;
import io.evoprune.data.ArrayDataset;
import io.evoprune.data.Normalization;
import io.evoprune.model.Architectures;
import io.evoprune.report.RunDirectory;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkContext$;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Bad input is refused with exit code 2 and a message naming the key, file or shape at fault, before any Spark
 * job starts (no SparkContext exists) and without creating or changing a run directory.
 */
@Tag("integration") // reads the real dataset and saves real DL4J models; starts no Spark
class BadInputTest {
    private Path out;

    @BeforeEach
    void setUp() throws IOException {
        out = TinyRuns.newFolder("bad-input");
    }

    @Test
    void unknownKey() {
        refused("Unknown configuration key 'search.populaton' (did you mean 'search.population'?) in --set options",
                "search.populaton", "4");
    }

    @Test
    void wrongType() {
        refused("search.population must be an integer, but was 'four'", "search.population", "four");
        refused("finetune.learning-rate must be a number, but was '1e-3x'", "finetune.learning-rate", "1e-3x");
    }

    @Test
    void outOfRangeValues() {
        refused("search.population must be at least 2, but was 1", "search.population", "1");
        refused("fitness.target-kept-fraction must be in (0.0, 1.0], but was 0.0", "fitness.target-kept-fraction", "0");
        refused("fitness.target-kept-fraction must be in (0.0, 1.0], but was 1.5", "fitness.target-kept-fraction", "1.5");
        refused("evaluation.max-failed-fraction must be in [0.0, 1.0], but was 2.0", "evaluation.max-failed-fraction", "2");
    }

    @Test
    void rebuiltFineTuningOfWeightMasks() {
        TinyRuns.Outcome o = TinyRuns.execute(TinyRuns.args(TinyRuns.settings(out, "bad", "finetune.network", "rebuilt",
                "mask.granularity", "weight"), "run"));
        assertRefused(o, "finetune.network=rebuilt cannot be used here: a 'weight' mask removes single connections");
        assertRefused(o, "; set finetune.network=auto or masked to fine-tune the candidates at full size");
        assertFalse(Files.exists(out.resolve("bad")), "no run directory is created");
        refused("finetune.network must be one of auto, masked, rebuilt, but was 'smaller'", "finetune.network", "smaller");
    }

    @Test
    void aMasterUrlSparkCannotRunOnIsRefusedBeforeTheRunDirectory() {
        TinyRuns.Outcome o = TinyRuns.execute(TinyRuns.args(TinyRuns.settings(out, "bad"), "run", "--master", "local[x]"));
        assertRefused(o, "Spark master 'local[x]' (--master or spark.master) is not one this Spark can run on");
        assertFalse(Files.exists(out.resolve("bad")), "no run directory is created");
    }

    @Test
    void outputFolderThatCannotBeCreated() throws IOException {
        Path file = Files.writeString(out.resolve("a-file"), "");
        TinyRuns.Outcome o = TinyRuns.execute(TinyRuns.args(TinyRuns.settings(out, "bad", "output.dir", file.toString()),
                "run"));
        assertRefused(o, "Cannot create the run directory " + file + "/bad (key output.dir)");
    }

    @Test
    void anOutputDirHadoopCannotName() {
        refused("Cannot make a run directory in output.dir=exp:1", "output.dir", "exp:1");
    }

    @Test
    void aBaselineKeyOutOfRangeIsBadInput() {
        TinyRuns.Outcome o = TinyRuns.execute(TinyRuns.args(TinyRuns.settings(out, "bad-baseline",
                "baseline.kept-fraction", "1.5"), "baseline"));
        assertRefused(o, "baseline.kept-fraction");
        assertFalse(Files.exists(out.resolve("bad-baseline")), "no run directory is created");
    }

    @Test
    void malformedJobFile() throws IOException {
        Path file = out.resolve("job.properties");
        Files.writeString(file, "search.population=4\nsearch.generatons=2\nsearch.sed=3\n");
        TinyRuns.Outcome o = TinyRuns.execute("run", "--config", file.toString());
        assertRefused(o, "Unknown configuration keys 'search.generatons' (did you mean 'search.generations'?),"
                + " 'search.sed' (did you mean 'search.seed'?) in configuration file " + file);
    }

    @Test
    void missingDataFolder() {
        Path missing = out.resolve("no-such-data");
        refused("Dataset folder " + missing + " does not exist (key data.path)", "data.path", missing.toString());
    }

    @Test
    void emptyDataset() throws IOException {
        Path data = Files.createDirectories(out.resolve("empty-data"));
        idx(data.resolve("train-images-idx3-ubyte.gz"), 0x803, 0, 28, 28);
        idx(data.resolve("train-labels-idx1-ubyte.gz"), 0x801, 0);
        idx(data.resolve("t10k-images-idx3-ubyte.gz"), 0x803, 0, 28, 28);
        idx(data.resolve("t10k-labels-idx1-ubyte.gz"), 0x801, 0);
        refused("IDX file " + data.resolve("train-images-idx3-ubyte.gz") + " holds no examples (key data.path)",
                "data.path", data.toString());
    }

    @Test
    void corruptIdxDimensions() throws IOException {
        // A negative dimension, and four whose product wraps around a long: both named, neither a crash.
        Path data = Files.createDirectories(out.resolve("corrupt-dims"));
        idx(data.resolve("train-labels-idx1-ubyte.gz"), 0x801, 0);
        idx(data.resolve("t10k-images-idx3-ubyte.gz"), 0x803, 0, 28, 28);
        idx(data.resolve("t10k-labels-idx1-ubyte.gz"), 0x801, 0);
        idx(data.resolve("train-images-idx3-ubyte.gz"), 0x803, 10, -28, 28);
        refused("IDX file " + data.resolve("train-images-idx3-ubyte.gz") + " has unusable dimensions [10, -28, 28]",
                "data.path", data.toString());
        int big = Integer.MAX_VALUE;
        idx(data.resolve("train-images-idx3-ubyte.gz"), 0x804, 1 << 16, big, big, big);
        refused("IDX file " + data.resolve("train-images-idx3-ubyte.gz") + " has unusable dimensions [65536, " + big
                + ", " + big + ", " + big + "]", "data.path", data.toString());
        // Dimensions that fit an array, on a file that holds none of it: truncation, not an out-of-memory error.
        idx(data.resolve("train-images-idx3-ubyte.gz"), 0x803, 1, 46340, 46340);
        refused("IDX file " + data.resolve("train-images-idx3-ubyte.gz") + " is truncated: its header [1, 46340,"
                + " 46340] promises 2147395600 bytes of values, it holds 0", "data.path", data.toString());
    }

    @Test
    void missingOrUnreadableModel() throws IOException {
        Path missing = out.resolve("missing.zip");
        refused("Model file " + missing + " does not exist (key model.path)", "model.path", missing.toString());
        Path garbage = out.resolve("garbage.zip");
        Files.writeString(garbage, "not a model");
        refused("Model file " + garbage + " is neither a DL4J model zip (no configuration.json entry) nor a Keras HDF5"
                + " file (key model.path)", "model.path", garbage.toString());
    }

    @Test
    void modelAndDataShapesDisagree() throws IOException {
        MultiLayerNetwork net = new MultiLayerNetwork(Architectures.lenet300100(100, 10, 1e-3, 1));
        net.init();
        Path model = out.resolve("hundred-inputs.zip");
        ModelSerializer.writeModel(net, model.toFile(), false);
        refused("Model " + model + " and the data at " + TinyRuns.ROOT.resolve("data/fashion-mnist-small")
                + " do not fit: the model takes 100 inputs but the data has 784 features per example", "model.path",
                model.toString());
    }

    @Test
    void anExistingRunDirectoryIsNeverOverwritten() throws IOException {
        Path run = Files.createDirectories(out.resolve("taken"));
        Files.writeString(run.resolve("notes.txt"), "mine");
        TinyRuns.Outcome o = TinyRuns.execute(TinyRuns.args(TinyRuns.settings(out, "taken",
                "model.path", TinyRuns.baseModel().toString()), "run"));
        assertEquals(2, o.exitCode(), o.err());
        assertTrue(o.err().contains("Run directory " + run + " already exists and is not empty"), o.err());
        assertEquals("mine", Files.readString(run.resolve("notes.txt")));
        assertNoSpark();
    }

    @Test
    void resumingWhatCannotBeResumed() throws IOException {
        Path missing = out.resolve("never-ran");
        assertRefused(TinyRuns.execute("run", "--resume", missing.toString()),
                "Cannot resume " + missing + ": Run directory " + missing + " does not exist");
        Path run = interruptedRun("interrupted");
        assertRefused(TinyRuns.execute("run", "--resume", run.toString(), "--config", "conf/evoprune.properties"),
                "--config cannot be used with --resume");
        assertUnchangedAfter(run, () -> assertRefused(TinyRuns.execute("run", "--resume", run.toString(),
                "--set", "search.generations=9"), "search.generations cannot change when a run resumes"));
    }

    @Test
    void aCorruptCheckpointIsNamedAndNothingIsWritten() throws IOException {
        Path run = interruptedRun("corrupt");
        Path checkpoint = run.resolve("checkpoint/generation-000001.ckpt");
        byte[] bytes = Files.readAllBytes(checkpoint);
        bytes[bytes.length - 10] ^= 0x20;
        Files.write(checkpoint, bytes);
        assertUnchangedAfter(run, () -> assertRefused(TinyRuns.execute("run", "--resume", run.toString()),
                "Checkpoint " + checkpoint + " cannot be used: it is corrupt"));
    }

    @Test
    void aCheckpointOfMasksForAnotherNetworkIsRefused() throws IOException {
        // As after model.path's file was replaced by one of another architecture: the model, not the checkpoint, changed.
        Path run = interruptedRun("other-network", 50);
        Path checkpoint = run.resolve("checkpoint/generation-000001.ckpt");
        TinyRuns.Outcome[] o = new TinyRuns.Outcome[1];
        assertUnchangedAfter(run, () -> o[0] = TinyRuns.execute("run", "--resume", run.toString()));
        assertRefused(o[0], "Checkpoint " + checkpoint + " cannot be used: its masks have 50 bits, one for each"
                + " prunable unit of the network the run began with, but the network now has 400 prunable neurons (300"
                + " in fc1 + 100 in fc2): the model file at model.path (" + TinyRuns.baseModel() + ")");
        assertEquals(1, o[0].err().split("generation-000001.ckpt", -1).length - 1, "named once: " + o[0].err());
        assertFalse(o[0].err().contains("delete"), "the older checkpoint is no better: " + o[0].err());
    }

    @Test
    void aDamagedNormaliserIsNamedAndNothingIsWritten() throws IOException {
        Path run = interruptedRun("damaged-normaliser");
        Path config = run.resolve(RunDirectory.CONFIGURATION);
        String standardize = Files.readString(config).replace("data.normalize=none", "data.normalize=standardize");
        assertTrue(standardize.contains("data.normalize=standardize"), standardize);
        Files.writeString(config, standardize); // the run fitted a normaliser, as one whose normalizer.bin it is
        byte[] fitted = Normalization.fit(Normalization.Kind.STANDARDIZE, new ArrayDataset(new float[] {0, 1, 2, 5},
                2, new int[] {0, 1}, 2).toDataSet());
        Files.write(run.resolve(PruningJob.NORMALIZER_FILE), Arrays.copyOf(fitted, fitted.length / 2));
        assertUnchangedAfter(run, () -> assertRefused(TinyRuns.execute("run", "--resume", run.toString()),
                "The run's normaliser " + run.resolve(PruningJob.NORMALIZER_FILE) + " cannot be restored: it ends"
                + " before its statistics do (truncated); the run cannot resume. Restore it from a copy, or delete"
                + " it"));

        // A CUSTOM one would load the class it names: refused by its header, as a model's bundled one is.
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(run.resolve(PruningJob.NORMALIZER_FILE)))) {
            out.writeUTF("NORMALIZER");
            out.writeInt(1);
            out.writeUTF("CUSTOM");
            out.writeUTF("no.such.Normalizer");
        }
        assertUnchangedAfter(run, () -> assertRefused(TinyRuns.execute("run", "--resume", run.toString()),
                "The run's normaliser " + run.resolve(PruningJob.NORMALIZER_FILE) + " is a CUSTOM normaliser"));

        // One that cannot be read at all (here a directory in its place) is bad input too, exit 2, not a crash.
        Files.delete(run.resolve(PruningJob.NORMALIZER_FILE));
        Files.createDirectory(run.resolve(PruningJob.NORMALIZER_FILE));
        assertUnchangedAfter(run, () -> assertRefused(TinyRuns.execute("run", "--resume", run.toString()),
                "cannot read its " + run.resolve(PruningJob.NORMALIZER_FILE) + ": "));
    }

    private void refused(String message, String key, String value) {
        TinyRuns.Outcome o = TinyRuns.execute(TinyRuns.args(TinyRuns.settings(out, "bad", key, value), "run"));
        assertRefused(o, message);
        assertFalse(Files.exists(out.resolve("bad")), "no run directory is created");
    }

    private static void assertRefused(TinyRuns.Outcome o, String message) {
        assertEquals(2, o.exitCode(), o.err());
        assertTrue(o.err().contains("evoprune: bad input: ") && o.err().contains(message), o.err());
        assertNoSpark();
    }

    private static void assertNoSpark() {
        // Spark's own record of a running context (the Scala object's method; no Java forwarder exists).
        assertTrue(SparkContext$.MODULE$.getActive().isEmpty(), "no Spark job started");
    }

    /** A run directory as a driver killed after generation 1 leaves it (masks of {@code bits} bits). */
    private Path interruptedRun(String name, int... bits) throws IOException {
        Map<String, String> settings = TinyRuns.settings(out, name, "model.path", TinyRuns.baseModel().toString());
        RunDirectory run = RunDirectory.create(out.resolve(name).toString(), new Configuration());
        run.writeConfiguration(Settings.defaults().with(settings, "test").asMap());
        new CheckpointStore(run.file(CheckpointStore.FOLDER), new Configuration(), null)
                .write(CheckpointStoreTest.state(1, bits.length > 0 ? bits[0] : 400, 4));
        return out.resolve(name);
    }

    private static void assertUnchangedAfter(Path run, Runnable action) throws IOException {
        Map<String, String> before = snapshot(run);
        action.run();
        assertEquals(before, snapshot(run), "nothing in " + run + " changed");
    }

    private static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(p).toString(), java.util.HexFormat.of().formatHex(Files.readAllBytes(p)));
            }
        }
        return files;
    }

    private static void idx(Path file, int magic, int... dims) throws IOException {
        try (OutputStream raw = Files.newOutputStream(file);
             DataOutputStream out = new DataOutputStream(new GZIPOutputStream(raw))) {
            out.writeInt(magic);
            for (int d : dims) {
                out.writeInt(d);
            }
        }
    }
}
