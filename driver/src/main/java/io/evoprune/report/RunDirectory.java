package io.evoprune.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.evoprune.data.DataFiles;
import io.evoprune.model.ModelFiles;
import io.evoprune.search.GenerationStats;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One run's outputs, on any Hadoop file system. Files are written to a temporary name and renamed, and the
 * directory holds {@code _RUNNING} until {@link #complete()} replaces it with {@code _SUCCESS}: a reader (or a
 * scheduler) can always tell a finished run from one that stopped half-way. {@code _RUNNING} names the driver
 * that computes the run ({@code pid@host}), so that a second driver on that host does not resume it meanwhile
 * (a scheduled resume that overlaps the run it continues).
 */
public final class RunDirectory {
    public static final String RUNNING = "_RUNNING";
    public static final String SUCCESS = "_SUCCESS";
    public static final String GENERATIONS = "generations.jsonl";
    public static final String CONFIGURATION = "config.properties";

    private static final ObjectMapper JSON = RunJson.mapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper JSON_LINE = RunJson.mapper();
    private static final Pattern OWNER = Pattern.compile("(\\d{1,18})@(\\S+)");

    private final FileSystem fs;
    private final Path dir;
    private final Configuration hadoop;
    private final StringBuilder generations = new StringBuilder();

    private RunDirectory(FileSystem fs, Path dir, Configuration hadoop) {
        this.fs = fs;
        this.dir = dir;
        this.hadoop = hadoop;
    }

    /** Creates a new, empty run directory where a run's output.dir and output.run-name put it. */
    public static RunDirectory create(String location, Configuration hadoop) throws IOException {
        return create(location, "output.run-name", "output.dir", hadoop);
    }

    /**
     * Creates a new, empty run directory; refuses one that already holds anything (change {@code nameKey}), and
     * one that cannot be created there (change {@code folderKey}).
     */
    public static RunDirectory create(String location, String nameKey, String folderKey, Configuration hadoop)
            throws IOException {
        Path dir;
        try {
            dir = new Path(location);
        } catch (IllegalArgumentException e) { // e.g. "" or "exp:1"
            throw new IOException("Cannot create the run directory '" + location + "' (key " + folderKey + "): "
                    + e.getMessage(), e);
        }
        try {
            FileSystem fs = DataFiles.withoutChecksums(DataFiles.fileSystem(dir, hadoop));
            if (fs.isFile(dir)) {
                throw new java.nio.file.FileAlreadyExistsException(dir + " is a file, not a folder; choose another "
                        + nameKey + " (nothing was overwritten)");
            }
            if (fs.exists(dir) && fs.listStatus(dir).length > 0) {
                // A command-line option (apply's --out) names an output folder; a key, a run's directory.
                throw new java.nio.file.FileAlreadyExistsException((nameKey.startsWith("--") ? "Output folder "
                        : "Run directory ") + dir + " already exists and is not empty; choose another " + nameKey
                        + " (nothing was overwritten)");
            }
            fs.mkdirs(dir);
            RunDirectory run = new RunDirectory(fs, dir, hadoop);
            run.claim();
            return run;
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw e;
        } catch (IOException | IllegalArgumentException e) { // Hadoop wraps an unknown host in the latter
            throw new IOException("Cannot create the run directory " + dir + " (key " + folderKey + "): "
                    + DataFiles.reason(e), e);
        }
    }

    /**
     * Opens an interrupted run to continue it: the directory must hold {@code _RUNNING} and no {@code _SUCCESS}, and
     * no live driver on this host may be computing it. {@code _RUNNING} then names this JVM; nothing else in the
     * directory is changed here.
     */
    public static RunDirectory reopen(String location, Configuration hadoop) throws IOException {
        Path dir = new Path(location);
        FileSystem fs = existing(dir, hadoop);
        if (!fs.exists(dir)) {
            throw new java.io.FileNotFoundException("Run directory " + dir + " does not exist");
        }
        if (fs.exists(new Path(dir, SUCCESS))) {
            throw new IllegalStateException("Run " + dir + " is complete (it has " + SUCCESS + "); a finished run cannot "
                    + "be resumed. Start a new run instead");
        }
        if (!fs.exists(new Path(dir, RUNNING)) || !fs.exists(new Path(dir, CONFIGURATION))) {
            throw new IllegalStateException(dir + " is not an evoprune run directory (it lacks " + RUNNING + " or "
                    + CONFIGURATION + ")");
        }
        RunDirectory run = new RunDirectory(fs, dir, hadoop);
        run.requireNoLiveDriverHere();
        run.claim(); // at once: a second resume while this one loads its inputs must see it
        return run;
    }

    /** Marks this JVM as the driver computing the run (a resumed run takes it over from the one that stopped). */
    public void claim() throws IOException {
        writeText(RUNNING, ProcessHandle.current().pid() + "@" + hostName() + System.lineSeparator());
    }

    /**
     * Refuses a run whose driver is still alive on this host: two drivers would write the same files. A driver on
     * another host (or in another container) cannot be seen from here, and an empty {@code _RUNNING} (an earlier
     * evoprune) names none.
     */
    private void requireNoLiveDriverHere() throws IOException {
        Matcher owner = OWNER.matcher(new String(readBytes(RUNNING), StandardCharsets.UTF_8).trim());
        if (!owner.matches() || !owner.group(2).equals(hostName())) {
            return;
        }
        long pid = Long.parseLong(owner.group(1));
        Optional<ProcessHandle> driver = ProcessHandle.of(pid)
                .filter(p -> p.pid() != ProcessHandle.current().pid() && p.isAlive())
                // A zombie shows no command line, and a dead driver's pid reused by another program another one: only
                // a JVM running evoprune (bin/evoprune, or spark-submit of its jar or class) counts.
                .filter(p -> p.info().command().filter(c -> c.contains("java")).isPresent()
                        && p.info().commandLine().filter(c -> c.contains("evoprune")).isPresent());
        if (driver.isPresent()) {
            throw new IllegalStateException("process " + pid + " on this host (evoprune) is still computing it, as"
                    + " its " + RUNNING + " says, and two drivers would write the same files. Let it finish, or stop"
                    + " it (kill " + pid + ") and resume then; if it is not this run's driver, empty " + dir + "/"
                    + RUNNING);
        }
    }

    /** This host's name; empty where it cannot be told, which no owner matches (so nothing is refused). */
    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Opens a run directory, finished or not, to read its outputs: it must hold {@code config.properties}.
     * Nothing in it is changed.
     */
    public static RunDirectory open(String location, Configuration hadoop) throws IOException {
        Path dir = new Path(location);
        FileSystem fs = existing(dir, hadoop);
        if (!fs.exists(dir)) {
            throw new java.io.FileNotFoundException("Run directory " + dir + " does not exist");
        }
        if (!fs.exists(new Path(dir, CONFIGURATION))) {
            throw new java.io.FileNotFoundException(dir + " is not an evoprune run directory: it has no "
                    + CONFIGURATION);
        }
        return new RunDirectory(fs, dir, hadoop);
    }

    /** The file system of an existing run directory; one that cannot be opened (no connector) names the directory. */
    private static FileSystem existing(Path dir, Configuration hadoop) throws IOException {
        try {
            return DataFiles.withoutChecksums(DataFiles.fileSystem(dir, hadoop));
        } catch (IOException e) {
            throw new IOException("Run directory " + dir + " cannot be reached: " + e.getMessage(), e);
        }
    }

    /** The saved effective configuration of this run. */
    public Properties readConfiguration() throws IOException {
        Properties props = new Properties();
        try (java.io.Reader in = new java.io.InputStreamReader(fs.open(new Path(dir, CONFIGURATION)),
                StandardCharsets.UTF_8)) {
            props.load(in);
        }
        return props;
    }

    public byte[] readBytes(String name) throws IOException {
        try (java.io.InputStream in = fs.open(new Path(dir, name))) {
            return in.readAllBytes();
        }
    }

    public boolean exists(String name) throws IOException {
        return fs.exists(new Path(dir, name));
    }

    /**
     * Rewrites generations.jsonl to hold exactly {@code history}: a resumed run drops lines of generations after
     * its checkpoint (the session that wrote them died before checkpointing them) and goes on appending.
     */
    public void restoreGenerations(java.util.List<GenerationStats> history) throws IOException {
        generations.setLength(0);
        for (GenerationStats stats : history) {
            generations.append(JSON_LINE.writeValueAsString(stats)).append('\n');
        }
        writeText(GENERATIONS, generations.toString());
    }

    /** The Hadoop configuration this directory is read and written with, for the run's other files. */
    public Configuration hadoop() {
        return hadoop;
    }

    public Path path() {
        return dir;
    }

    public Path file(String name) {
        return new Path(dir, name);
    }

    public void writeConfiguration(Map<String, String> settings) throws IOException {
        StringBuilder sb = new StringBuilder("# Effective configuration of this run (defaults, file and overrides applied)\n");
        new TreeMap<>(settings).forEach((k, v) -> sb.append(propertyLine(k, v)));
        writeText(CONFIGURATION, sb.toString());
    }

    /**
     * {@code key=value} escaped as {@link Properties#store} escapes it, so that {@link Properties#load} reads back
     * the same value (a tab delimiter written {@code \t}, a Windows path's backslashes, a leading space).
     */
    static String propertyLine(String key, String value) {
        Properties one = new Properties();
        one.setProperty(key, value);
        StringWriter out = new StringWriter();
        try {
            one.store(out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString().lines().filter(l -> !l.startsWith("#")).map(l -> l + "\n").reduce("", String::concat);
    }

    /** Appends one generation's statistics to generations.jsonl (the file is rewritten whole, atomically). */
    public void appendGeneration(GenerationStats stats) throws IOException {
        generations.append(JSON_LINE.writeValueAsString(stats)).append('\n');
        writeText(GENERATIONS, generations.toString());
    }

    public void writeJson(String name, Object value) throws IOException {
        writeText(name, JSON.writeValueAsString(value) + "\n");
    }

    /** A ModelSerializer zip with {@code normalizer} (NormalizerSerializer bytes, may be null) bundled in. */
    public void writeModel(String name, io.evoprune.model.Network net, byte[] normalizer) throws IOException {
        writeAtomically(fs, new Path(dir, name), tmp -> ModelFiles.save(net, normalizer, tmp, hadoop));
    }

    public void writeText(String name, String text) throws IOException {
        writeBytes(name, text.getBytes(StandardCharsets.UTF_8));
    }

    public void writeBytes(String name, byte[] bytes) throws IOException {
        writeAtomically(fs, new Path(dir, name), bytes);
    }

    /** Marks the run finished: every output is in place. */
    public void complete() throws IOException {
        writeText(SUCCESS, "");
        fs.delete(new Path(dir, RUNNING), false);
    }

    /** What writes a file's content to the path it is given. */
    @FunctionalInterface
    public interface Content {
        void writeTo(Path file) throws IOException;
    }

    /** {@link #writeAtomically(FileSystem, Path, Content)} of {@code bytes}. */
    public static void writeAtomically(FileSystem fs, Path target, byte[] bytes) throws IOException {
        writeAtomically(fs, target, tmp -> {
            try (OutputStream out = fs.create(tmp, true)) {
                out.write(bytes);
            }
        });
    }

    /**
     * Writes {@code target} whole or not at all: the content goes to a temporary name beside it, renamed into place
     * once complete. A failed write deletes what it left (on a full disk it holds the space a resumed run needs).
     * Hadoop's local file system reports a full disk as FSError, an Error that no handler of exceptions sees: it
     * comes out as an IOException naming the file, so the run stops as it does for any other write failure.
     */
    public static void writeAtomically(FileSystem fs, Path target, Content content) throws IOException {
        Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp");
        try {
            content.writeTo(tmp);
        } catch (FSError e) {
            discard(fs, tmp);
            throw new IOException("Cannot write " + tmp + ": " + (e.getCause() != null ? e.getCause().getMessage()
                    : e.getMessage()), e);
        } catch (IOException | RuntimeException e) {
            discard(fs, tmp);
            throw e;
        }
        fs.delete(target, false);
        if (!fs.rename(tmp, target)) {
            throw new IOException("Cannot move " + tmp + " to " + target);
        }
        dropStaleChecksum(fs, target);
    }

    /**
     * Deletes the ".name.crc" an earlier version's checksum layer left beside {@code file} (files are now written
     * without one): stale, it would fail a Hadoop reader that checks it (hadoop fs -put, spark.read).
     */
    public static void dropStaleChecksum(FileSystem fs, Path file) throws IOException {
        if (fs instanceof org.apache.hadoop.fs.RawLocalFileSystem) {
            fs.delete(new Path(file.getParent(), "." + file.getName() + ".crc"), false);
        }
    }

    private static void discard(FileSystem fs, Path tmp) {
        try {
            fs.delete(tmp, false);
        } catch (IOException | RuntimeException | FSError ignored) {
            // the write's own failure is the one to report
        }
    }
}
