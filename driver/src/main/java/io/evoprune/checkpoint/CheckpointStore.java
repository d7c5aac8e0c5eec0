package io.evoprune.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.evoprune.data.DataFiles;
import io.evoprune.evaluation.EvaluationResult;
import io.evoprune.job.BadInputException;
import io.evoprune.mask.Mask;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.report.RunDirectory;
import io.evoprune.search.GenerationStats;
import io.evoprune.search.MaskDigest;
import io.evoprune.search.SearchState;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A run's checkpoints: one file per generation in a folder of the run directory, on any Hadoop file system.
 *
 * <p>A file is a header line {@code evoprune-checkpoint <format> <bytes> <sha256>} followed by the search state
 * as JSON. It is written under a temporary name and renamed, so a reader never sees a half-written file under a
 * checkpoint's name; the byte count and the SHA-256 catch truncation and corruption anyway (a copy gone wrong, a
 * disk fault). The two newest checkpoints are kept: if the newest is damaged the error says so and names the
 * older one, but never falls back to it silently.
 */
public final class CheckpointStore {
    public static final String FOLDER = "checkpoint";
    /**
     * Format of the files this version writes; bump it when the payload changes incompatibly. Format 2 keeps the
     * fitness cache by mask digest ({@link MaskDigest}); format 1 kept each evaluated mask whole, and is still read.
     */
    public static final int FORMAT = 2;
    private static final int FORMAT_WHOLE_MASKS = 1;

    private static final String MAGIC = "evoprune-checkpoint";
    private static final Pattern NAME = Pattern.compile("generation-(\\d{6,})\\.ckpt");
    private static final int KEEP = 2;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

    /** The JSON payload. Masks are {@link MaskCodec} text; an evaluated mask is its digest (format 1: the mask). */
    record Payload(int format, int generation, int maskBits, List<Member> population, List<Evaluated> evaluated,
                   String bestMask, double bestFitness, int sinceImprovement, List<GenerationStats> history,
                   double seconds, Long settingsDigest, Map<String, Long> counters, Map<String, String> settings) {
    }

    record Member(String mask, long born, double fitness) {
    }

    record Evaluated(String mask, EvaluationResult result) {
    }

    /**
     * A sound checkpoint that no longer fits the run as it is now (its settings, population size or network changed
     * since, e.g. the model file replaced): the older checkpoint was written for the same run, so it fits no better.
     */
    private static final class RunChanged extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        RunChanged(String message) {
            super(message);
        }
    }

    /** A checkpoint an earlier evoprune wrote, lacking a field this one needs. */
    private static final class EarlierVersion extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        EarlierVersion(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final FileSystem fs;
    private final Path dir;
    /** The run's settings that a resume may not change; written into each checkpoint and checked on reading. */
    private final Map<String, String> settings;

    /**
     * A store whose checkpoints carry {@code settings} (the run's effective configuration, null for none): a
     * resume whose config.properties was edited since (search.seed, an operator) would not reach the result an
     * uninterrupted run reaches, and is refused naming the keys.
     */
    public CheckpointStore(Path dir, Configuration hadoop, Map<String, String> settings) throws IOException {
        this.fs = DataFiles.withoutChecksums(DataFiles.fileSystem(dir, hadoop));
        this.dir = dir;
        if (settings == null) {
            this.settings = null;
        } else {
            Map<String, String> fixed = new TreeMap<>(settings);
            ResumeSettings.CHANGEABLE.forEach(fixed::remove);
            this.settings = fixed;
        }
    }

    /** Writes the state after its generation, atomically, then drops all but the newest {@value #KEEP} files. */
    public Path write(SearchState state) throws IOException {
        byte[] payload = JSON.writeValueAsBytes(payload(state));
        String header = MAGIC + " " + FORMAT + " " + payload.length + " " + sha256(payload) + "\n";
        Path target = new Path(dir, name(state.generation()));
        fs.mkdirs(dir);
        RunDirectory.writeAtomically(fs, target, tmp -> {
            try (OutputStream out = fs.create(tmp, true)) {
                out.write(header.getBytes(StandardCharsets.US_ASCII));
                out.write(payload);
            }
        });
        List<Path> all = new ArrayList<>(list().values());
        for (int i = 0; i < all.size() - KEEP; i++) {
            fs.delete(all.get(i), false);
            RunDirectory.dropStaleChecksum(fs, all.get(i));
        }
        return target;
    }

    /**
     * The newest checkpoint, checked against the run it is meant to continue; empty if there is none.
     *
     * @param network where the network of {@code layout} comes from, for the message when the checkpoint's masks do
     *                not fit it: what to restore (e.g. "the model file at model.path (m.zip)")
     * @throws BadInputException naming the file, if it is truncated, corrupt, of another format, or does not fit
     *                           the network ({@code layout}) or the population size
     */
    public Optional<SearchState> latest(PrunableLayout layout, int population, String network) throws IOException {
        TreeMap<Integer, Path> all = list();
        if (all.isEmpty()) {
            return Optional.empty();
        }
        Path newest = all.lastEntry().getValue();
        Integer older = all.lowerKey(all.lastKey());
        try {
            return Optional.of(read(newest, all.lastKey(), layout, population, network));
        } catch (IllegalArgumentException e) {
            // The previous checkpoint helps when this one is damaged, not when the run changed since both were written.
            boolean damaged = !(e instanceof EarlierVersion || e instanceof RunChanged);
            throw new BadInputException("Checkpoint " + DataFiles.shown(newest) + " cannot be used: " + e.getMessage()
                    + (older == null || !damaged ? "" : ". The previous checkpoint (generation " + older + ") is still"
                    + " there: delete " + newest.getName() + " to resume from it"), e);
        }
    }

    private SearchState read(Path file, int generation, PrunableLayout layout, int population, String network)
            throws IOException {
        byte[] bytes;
        try (InputStream in = fs.open(file)) {
            bytes = in.readAllBytes();
        } catch (ChecksumException e) {
            // Hadoop's local and HDFS file systems keep their own block checksums and notice damage first.
            throw new IllegalArgumentException("it is corrupt: the file system's checksum does not match ("
                    + e.getMessage() + ")", e);
        }
        int newline = indexOf(bytes, (byte) '\n');
        if (newline < 0) {
            throw new IllegalArgumentException("it has no header line (truncated, or not a checkpoint)");
        }
        String[] header = new String(bytes, 0, newline, StandardCharsets.US_ASCII).split(" ");
        if (header.length != 4 || !header[0].equals(MAGIC)) {
            throw new IllegalArgumentException("its header is not '" + MAGIC + " <format> <bytes> <sha256>'");
        }
        if (!header[1].equals(Integer.toString(FORMAT)) && !header[1].equals(Integer.toString(FORMAT_WHOLE_MASKS))) {
            throw new IllegalArgumentException("it is in format " + header[1] + ", but this evoprune reads formats "
                    + FORMAT_WHOLE_MASKS + " and " + FORMAT + " only");
        }
        int format = Integer.parseInt(header[1]);
        byte[] payload = Arrays.copyOfRange(bytes, newline + 1, bytes.length);
        if (!header[2].equals(Integer.toString(payload.length))) {
            throw new IllegalArgumentException("it is truncated or padded: its header promises " + header[2]
                    + " bytes of state, the file holds " + payload.length);
        }
        if (!header[3].equals(sha256(payload))) {
            throw new IllegalArgumentException("it is corrupt: the SHA-256 of its state does not match its header");
        }
        Payload p;
        try {
            // Fields format 1 gained later, which a checkpoint of an earlier evoprune lacks: no digest to check
            // (null), no counters carried over.
            com.fasterxml.jackson.databind.JsonNode tree = JSON.readTree(payload);
            if (tree instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
                if (!o.has("settingsDigest")) {
                    o.putNull("settingsDigest");
                }
                if (!o.has("counters")) {
                    o.putObject("counters");
                }
                if (!o.has("settings")) {
                    o.putNull("settings");
                }
            }
            p = JSON.treeToValue(tree, Payload.class);
        } catch (JsonProcessingException e) {
            String why = e.getOriginalMessage();
            // A field this version needs and the file lacks: an earlier evoprune wrote it (format 1 grew fields).
            if (why.startsWith("Missing creator property")) {
                throw new EarlierVersion("its state is not readable: " + why + "; it was written by an earlier"
                        + " evoprune: continue it with that version, or start a new run", e);
            }
            throw new IllegalArgumentException("its state is not readable: " + why, e);
        }
        if (p.format() != format || p.generation() != generation) {
            throw new IllegalArgumentException("it says format " + p.format() + ", generation " + p.generation()
                    + ", but its header and name say format " + format + ", generation " + generation);
        }
        // Settings first: an edited config.properties is named as such, not as a population that does not fit.
        requireSameSettings(p.settings());
        if (p.population().size() != population) {
            // Every checkpoint of the run holds the same size, so this is a changed setting, not damage.
            throw new RunChanged("it holds a population of " + p.population().size() + ", but search.population"
                    + " is " + population + ": set search.population=" + p.population().size() + " again in"
                    + " the run's config.properties to continue it, or start a new run");
        }
        if (p.maskBits() != layout.units()) {
            // Its SHA-256 matched, so the file is as written: the network changed, not the checkpoint. Mask settings
            // edited since are named above, unless the checkpoint (or the store) keeps no settings to compare.
            boolean compared = settings != null && p.settings() != null;
            throw new RunChanged("its masks have " + p.maskBits() + " bits, one for each prunable unit of the"
                    + " network the run began with, but the network now has " + layout.describeUnits() + ": "
                    + network + (compared ? "" : " or the run's mask.* settings") + " changed since the run began."
                    + " Restore " + network + (compared ? " as it was" : " and the mask.* settings as they were")
                    + ", or start a new run");
        }
        return state(p, layout);
    }

    private void requireSameSettings(Map<String, String> written) {
        if (settings == null || written == null) {
            return;
        }
        List<String> changed = new ArrayList<>();
        for (Map.Entry<String, String> e : settings.entrySet()) {
            String then = written.get(e.getKey());
            if (then != null && !then.equals(e.getValue())) {
                changed.add(e.getKey() + " is '" + e.getValue() + "' there but was '" + then + "'");
            }
        }
        if (!changed.isEmpty()) {
            throw new RunChanged("it was written under other settings than the run's config.properties now holds ("
                    + String.join("; ", changed) + "), so the search would not continue as it began. Restore"
                    + " config.properties as it was (only " + ResumeSettings.CHANGEABLE.stream().sorted().toList()
                    + " may change, with --set), or start a new run");
        }
    }

    private static SearchState state(Payload p, PrunableLayout layout) {
        Map<MaskDigest, EvaluationResult> evaluated = new LinkedHashMap<>();
        for (Evaluated e : p.evaluated()) {
            evaluated.put(p.format() == FORMAT_WHOLE_MASKS ? MaskDigest.of(mask(e.mask(), layout))
                    : MaskDigest.parse(e.mask()), e.result());
        }
        List<SearchState.Member> members = new ArrayList<>();
        for (Member m : p.population()) {
            members.add(new SearchState.Member(mask(m.mask(), layout), m.born(), m.fitness()));
        }
        return new SearchState(p.generation(), members, evaluated, mask(p.bestMask(), layout), p.bestFitness(),
                p.sinceImprovement(), p.history(), p.seconds(), p.settingsDigest(), p.counters());
    }

    private static Mask mask(String text, PrunableLayout layout) {
        Mask mask = MaskCodec.decode(text);
        layout.requireFits(mask, "it"); // a mask unlike maskBits: damage; the message already names the file
        return mask;
    }

    private Payload payload(SearchState s) {
        List<Member> members = s.population().stream()
                .map(m -> new Member(MaskCodec.encode(m.mask()), m.born(), m.fitness())).toList();
        List<Evaluated> evaluated = s.evaluated().entrySet().stream()
                .map(e -> new Evaluated(e.getKey().toString(), e.getValue())).toList();
        return new Payload(FORMAT, s.generation(), s.bestMask().length(), members, evaluated,
                MaskCodec.encode(s.bestMask()), s.bestFitness(), s.sinceImprovement(), s.history(), s.seconds(),
                s.settingsDigest(), s.counters(), settings);
    }

    /** Checkpoint files by generation, oldest first. */
    private TreeMap<Integer, Path> list() throws IOException {
        TreeMap<Integer, Path> files = new TreeMap<>();
        if (!fs.exists(dir)) {
            return files;
        }
        for (FileStatus st : fs.listStatus(dir)) {
            Matcher m = NAME.matcher(st.getPath().getName());
            if (m.matches() && m.group(1).length() <= 10 && Long.parseLong(m.group(1)) <= Integer.MAX_VALUE) {
                files.put(Integer.parseInt(m.group(1)), st.getPath()); // a larger number is no file of this store
            }
        }
        return files;
    }

    static String name(int generation) {
        return String.format(Locale.ROOT, "generation-%06d.ckpt", generation); // ASCII digits: NAME reads them
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < Math.min(bytes.length, 256); i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JVM lacks SHA-256", e);
        }
    }
}
