package io.evoprune.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.evaluation.EvaluationResult;
import io.evoprune.evaluation.Fitness;
import io.evoprune.job.BadInputException;
import io.evoprune.job.TinyRuns;
import io.evoprune.mask.Granularity;
import io.evoprune.mask.Mask;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.search.GenerationStats;
import io.evoprune.search.MaskDigest;
import io.evoprune.search.SearchState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Checkpoints come back exactly as written, and damaged or foreign ones are refused, naming the file. */
public class CheckpointStoreTest {
    private static final PrunableLayout LENET = PrunableLayout.of(
            io.evoprune.model.Architectures.lenet300100(784, 10, 1e-3, 1), Granularity.NEURON);

    private Path dir;
    private CheckpointStore store;

    @BeforeEach
    void setUp() throws Exception {
        dir = TinyRuns.newFolder("checkpoint").resolve("checkpoint");
        store = new CheckpointStore(new org.apache.hadoop.fs.Path(dir.toUri()), new Configuration(), null);
    }

    @Test
    void aCheckpointReadsBackExactly() throws Exception {
        SearchState state = state(3, 400, 4);
        store.write(state);
        SearchState read = store.latest(LENET, 4, "the base model").orElseThrow();
        assertEquals(state, read); // records compare doubles bit for bit: NaN losses and WORST included
        assertEquals(state.population(), read.population());
        assertEquals(List.copyOf(state.evaluated().keySet()), List.copyOf(read.evaluated().keySet()), "cache order kept");
    }

    @Test
    void aCheckpointWrittenUnderOtherSettingsIsRefusedNamingTheKeys() throws Exception {
        // A stopped run's config.properties edited by hand (or checkpoints copied from another run): the search
        // would go on with another seed or operator than it began with.
        org.apache.hadoop.fs.Path folder = new org.apache.hadoop.fs.Path(dir.toUri());
        Map<String, String> began = Map.of("search.seed", "42", "search.mutation-probability", "0.01",
                "evaluation.partitions", "0");
        new CheckpointStore(folder, new Configuration(), began).write(state(2, 400, 4));
        Map<String, String> now = new LinkedHashMap<>(began);
        now.put("evaluation.partitions", "3"); // a key a resume may change
        assertEquals(2, new CheckpointStore(folder, new Configuration(), now).latest(LENET, 4, "the base model").orElseThrow().generation());
        now.put("search.seed", "7");
        BadInputException e = assertThrows(BadInputException.class,
                () -> new CheckpointStore(folder, new Configuration(), now).latest(LENET, 4, "the base model"));
        assertTrue(e.getMessage().contains("written under other settings than the run's config.properties now holds"
                + " (search.seed is '7' there but was '42')"), e.getMessage());
        assertFalse(e.getMessage().contains("previous checkpoint"), "an older checkpoint has the same settings");
        assertEquals(2, store.latest(LENET, 4, "the base model").orElseThrow().generation(), "a store without settings checks none");
    }

    @Test
    void theTwoNewestAreKeptAndTheNewestIsUsed() throws Exception {
        for (int g = 0; g <= 4; g++) {
            store.write(state(g, 400, 4));
        }
        assertEquals(List.of("generation-000003.ckpt", "generation-000004.ckpt"), checkpointFiles());
        assertEquals(4, store.latest(LENET, 4, "the base model").orElseThrow().generation());
    }

    @Test
    void aFileNamedLikeACheckpointBeyondAnyGenerationIsPassedOver() throws Exception {
        store.write(state(2, 400, 4));
        Files.writeString(dir.resolve("generation-99999999999.ckpt"), "not of this store");
        assertEquals(2, store.latest(LENET, 4, "the base model").orElseThrow().generation());
    }

    @Test
    void checkpointNamesKeepAsciiDigitsInEveryLocale() throws Exception {
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.forLanguageTag("ar-EG")); // formats numbers with Arabic-Indic digits
        try {
            store.write(state(1, 400, 4));
            assertEquals(List.of("generation-000001.ckpt"), checkpointFiles());
            assertEquals(1, store.latest(LENET, 4, "the base model").orElseThrow().generation(), "a resume must find it");
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void noCheckpointMeansStartFromGenerationZero() throws Exception {
        assertTrue(store.latest(LENET, 4, "the base model").isEmpty());
    }

    @Test
    void aTruncatedCheckpointIsRefused() throws Exception {
        Path file = writeTwo();
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 100));
        // The header's length notices (checkpoints carry their own check: Hadoop's .crc files are not written).
        assertFalse(Files.exists(file.resolveSibling("." + file.getFileName() + ".crc")));
        BadInputException e = assertRefused(file, "truncated");
        assertTrue(e.getMessage().contains("previous checkpoint (generation 2)"), e.getMessage());
    }

    @Test
    void aCorruptCheckpointIsRefused() throws Exception {
        Path file = writeTwo();
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x01; // one flipped bit in the state
        Files.write(file, bytes);
        assertRefused(file, "SHA-256");
    }

    @Test
    void aFileThatIsNoCheckpointIsRefused() throws Exception {
        Path file = writeTwo();
        Files.writeString(file, "{\"generation\": 3}\n{}");
        assertRefused(file, "header");
        Files.writeString(file, "evoprune-checkpoint 99 2 abc\n{}");
        assertRefused(file, "format 99");
    }

    @Test
    void aCheckpointRenamedToAnotherGenerationIsRefusedNamingBoth() throws Exception {
        // Sound header and SHA-256, but the state inside is generation 2's: resuming it as generation 5 would
        // repeat generations with the wrong random streams, so the payload's generation must match the name.
        writeTwo();
        Path renamed = dir.resolve("generation-000005.ckpt");
        Files.copy(dir.resolve("generation-000002.ckpt"), renamed);
        BadInputException e = assertRefused(renamed,
                "it says format 2, generation 2, but its header and name say format 2, generation 5");
        assertTrue(e.getMessage().contains("previous checkpoint (generation 3)"), e.getMessage());
    }

    @Test
    void aCheckpointOfAnEarlierVersionSaysSo() throws Exception {
        store.write(state(2, 400, 4));
        Built built = built(3, 400, 4);
        Path file = Path.of(store.write(built.state()).toUri());
        // The newest as the version before fitness.size wrote it: format 1, no sizeFraction.
        asFormatOne(file, built, state -> state.replaceAll("\"sizeFraction\":[^,]*,", ""));
        BadInputException e = assertRefused(file, "sizeFraction");
        assertTrue(e.getMessage().contains("written by an earlier evoprune"), e.getMessage());
        assertFalse(e.getMessage().contains("delete"), "the older checkpoint is no better: " + e.getMessage());
    }

    @Test
    void aCheckpointFromBeforeTheDigestAndCountersStillResumes() throws Exception {
        Built built = built(3, 400, 4);
        SearchState written = built.state();
        Path file = Path.of(store.write(written).toUri());
        asFormatOne(file, built, state -> {
            String older = state.replaceAll(",\"settingsDigest\":[^,]*", "").replaceAll(",\"counters\":\\{[^}]*\\}", "");
            assertFalse(older.contains("settingsDigest") || older.contains("counters"), older);
            return older;
        });
        SearchState read = store.latest(LENET, 4, "the base model").orElseThrow();
        assertEquals(null, read.settingsDigest(), "no digest to check");
        assertEquals(Map.of(), read.counters());
        assertEquals(written.population(), read.population());
    }

    @Test
    void masksForAnotherNetworkAreRefusedAsAChangedModelNotAsDamage() throws Exception {
        // The run's model file replaced by one of another architecture: both checkpoints are sound and hold masks
        // of the same length, so advising to delete the newest would only lose a generation.
        store.write(state(0, 10, 4));
        store.write(state(1, 10, 4));
        BadInputException e = assertThrows(BadInputException.class,
                () -> store.latest(LENET, 4, "the model file at model.path (m.zip)"));
        String m = e.getMessage();
        assertTrue(m.contains("generation-000001.ckpt cannot be used: its masks have 10 bits, one for each prunable"
                + " unit of the network the run began with, but the network now has 400 prunable neurons (300 in fc1 +"
                + " 100 in fc2): the model file at model.path (m.zip) or the run's mask.* settings changed since the"
                + " run began. Restore the model file at model.path (m.zip) and the mask.* settings as they were"), m);
        assertEquals(1, m.split("generation-000001.ckpt", -1).length - 1, "the file named once: " + m);
        assertFalse(m.contains("delete") || m.contains("previous checkpoint"), m);

        // A checkpoint that keeps the run's settings has had its mask.* keys compared already: only the model changed.
        org.apache.hadoop.fs.Path other = new org.apache.hadoop.fs.Path(dir.resolveSibling("kept").toUri());
        Map<String, String> settings = Map.of("mask.granularity", "neuron");
        new CheckpointStore(other, new Configuration(), settings).write(state(1, 10, 4));
        String kept = assertThrows(BadInputException.class, () -> new CheckpointStore(other, new Configuration(),
                settings).latest(LENET, 4, "the model file at model.path (m.zip)")).getMessage();
        assertTrue(kept.contains(": the model file at model.path (m.zip) changed since the run began. Restore the model"
                + " file at model.path (m.zip) as it was, or start a new run"), kept);
    }

    @Test
    void aMaskUnlikeTheCheckpointsOwnLengthIsDamage() throws Exception {
        Path file = writeTwo();
        String text = Files.readString(file);
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode tree =
                (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(text.substring(text.indexOf('\n') + 1));
        tree.put("bestMask", MaskCodec.encode(Mask.allKept(10))); // the header's SHA-256 made to match again below
        rewrite(file, CheckpointStore.FORMAT, json.writeValueAsString(tree));
        BadInputException e = assertRefused(file, "cannot be used: it holds a mask of 10 bits, but the network has 400");
        assertTrue(e.getMessage().contains("previous checkpoint (generation 2)"), e.getMessage());
        assertFalse(e.getMessage().contains("cannot be used: Checkpoint"), "the file named once: " + e.getMessage());
    }

    @Test
    void aPopulationOfAnotherSizeIsRefusedWithoutAdvisingToDeleteACheckpoint() throws Exception {
        store.write(state(0, 400, 6));
        store.write(state(1, 400, 6));
        BadInputException e = assertThrows(BadInputException.class, () -> store.latest(LENET, 4, "the base model"));
        assertTrue(e.getMessage().contains("population of 6, but search.population is 4: set search.population=6"
                + " again"), e.getMessage());
        assertFalse(e.getMessage().contains("previous checkpoint"), "the older one holds 6 as well");
    }

    @Test
    void anEditedPopulationIsNamedAsAnEditedSetting() throws Exception {
        org.apache.hadoop.fs.Path folder = new org.apache.hadoop.fs.Path(dir.toUri());
        new CheckpointStore(folder, new Configuration(), Map.of("search.population", "4")).write(state(1, 400, 4));
        BadInputException e = assertThrows(BadInputException.class, () -> new CheckpointStore(folder,
                new Configuration(), Map.of("search.population", "6")).latest(LENET, 6, "the base model"));
        assertTrue(e.getMessage().contains("(search.population is '6' there but was '4')"), e.getMessage());
    }

    @Test
    void aFormatOneCheckpointWithWholeMasksReadsAsTheSameState() throws Exception {
        Built built = built(3, 400, 4);
        Path file = Path.of(store.write(built.state()).toUri());
        assertTrue(Files.readString(file).startsWith("evoprune-checkpoint " + CheckpointStore.FORMAT + " "));
        asFormatOne(file, built, state -> state);
        String text = Files.readString(file);
        assertTrue(text.contains("\"evaluated\":[{\"mask\":\"400:"), "the cache holds whole masks now");
        assertEquals(built.state(), store.latest(LENET, 4, "the base model").orElseThrow());
    }

    @Test
    void theCacheKeepsDigestsNotMasks() throws Exception {
        // 266,200-bit weight masks: whole, each evaluated mask took 44 KB of checkpoint text
        SearchState state = state(1, 266_200, 4);
        Path file = Path.of(store.write(state).toUri());
        assertTrue(Files.size(file) < 7 * 44_000, "population and best whole, the 7 cached results by digest: "
                + Files.size(file) + " bytes");
        assertEquals(state, store.latest(PrunableLayout.of(io.evoprune.model.Architectures.lenet300100(784, 10, 1e-3, 1),
                Granularity.WEIGHT), 4, "the base model").orElseThrow());
    }

    @Test
    void aDamagedDigestIsRefusedNamingTheFile() throws Exception {
        Path file = Path.of(store.write(state(3, 400, 4)).toUri());
        String text = Files.readString(file);
        String state = text.substring(text.indexOf('\n') + 1).replaceFirst("(\"evaluated\":\\[\\{\"mask\":\")[0-9a-f]{32}",
                "$1not-a-digest");
        assertTrue(state.contains("not-a-digest"), state);
        rewrite(file, CheckpointStore.FORMAT, state);
        assertRefused(file, "'not-a-digest' is not a mask digest (expected 32 hex digits)");
    }

    private Path writeTwo() throws Exception {
        store.write(state(2, 400, 4));
        store.write(state(3, 400, 4));
        return dir.resolve("generation-000003.ckpt");
    }

    private BadInputException assertRefused(Path file, String why) {
        BadInputException e = assertThrows(BadInputException.class, () -> store.latest(LENET, 4, "the base model"));
        assertTrue(e.getMessage().contains(file.getFileName().toString()) && e.getMessage().contains(why), e.getMessage());
        return e;
    }

    private List<String> checkpointFiles() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ckpt")).sorted().toList();
        }
    }

    /** A state after {@code generation} with masks of {@code bits} bits, including a failed evaluation. */
    public static SearchState state(int generation, int bits, int population) {
        return built(generation, bits, population).state();
    }

    /** A state and the masks its cache holds the digests of, in order. */
    private record Built(SearchState state, List<Mask> evaluated) {
    }

    private static Built built(int generation, int bits, int population) {
        Random random = new Random(generation * 31L + bits);
        Map<Mask, EvaluationResult> evaluated = new LinkedHashMap<>();
        List<SearchState.Member> members = new ArrayList<>();
        for (int i = 0; i < population + 3; i++) {
            Mask mask = Mask.of(bits, u -> random.nextBoolean());
            EvaluationResult r = i == 1
                    ? EvaluationResult.failure(i, mask.keptFraction(), 0.5, "failed on attempt 1 of 1: java.lang.OutOfMemoryError")
                    : new EvaluationResult(i, random.nextDouble(), random.nextDouble(), i == 2 ? Double.POSITIVE_INFINITY
                    : random.nextDouble(), mask.keptFraction(), mask.keptFraction() / 2, 1000 + i, 1.25,
                    i == 2 ? "diverged: validation loss is Infinity" : null); // size: as if by flops
            evaluated.put(mask, r);
            if (i < population) {
                members.add(new SearchState.Member(mask, i % (generation + 1), r.fitness()));
            }
        }
        List<GenerationStats> history = new ArrayList<>();
        for (int g = 0; g <= generation; g++) {
            history.add(new GenerationStats(g, 0.8 + g / 100.0, 0.5, Fitness.WORST, 0.81, 0.5, 0.3, 4, 1, 1, 2.5));
        }
        Mask best = members.get(0).mask();
        Map<MaskDigest, EvaluationResult> digests = new LinkedHashMap<>();
        evaluated.forEach((mask, r) -> digests.put(MaskDigest.of(mask), r));
        return new Built(new SearchState(generation, members, digests, best, evaluated.get(best).fitness(), 1, history,
                12.5, 0x5eed_d16e_57L, Map.of("evoprune evaluations", 9L)), List.copyOf(evaluated.keySet()));
    }

    /**
     * The checkpoint {@code file} of {@code built} rewritten as format 1 wrote it, each evaluated mask whole, after
     * {@code edit} of its JSON text.
     */
    private static void asFormatOne(Path file, Built built, java.util.function.UnaryOperator<String> edit)
            throws Exception {
        String text = Files.readString(file);
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode tree =
                (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(text.substring(text.indexOf('\n') + 1));
        tree.put("format", 1);
        for (int i = 0; i < built.evaluated().size(); i++) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("evaluated").get(i))
                    .put("mask", MaskCodec.encode(built.evaluated().get(i)));
        }
        rewrite(file, 1, edit.apply(json.writeValueAsString(tree)));
    }

    private static void rewrite(Path file, int format, String state) throws Exception {
        byte[] payload = state.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(payload));
        Files.writeString(file, "evoprune-checkpoint " + format + " " + payload.length + " " + sha + "\n" + state);
    }
}
