package io.evoprune.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.config.Settings;
import io.evoprune.job.BadInputException;
import io.evoprune.report.RunDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A resumed run keeps its saved configuration: only keys that cannot change the result may change. */
class ResumeSettingsTest {
    private final Settings saved = Settings.defaults().with(Map.of("search.seed", "7", "search.population", "4"), "test");

    @TempDir
    Path tmp;

    @Test
    void aHandEditedSavedConfigurationReadsAsEdited() throws Exception {
        // It used to fail as a checksum error (Hadoop's .crc beside it); now the checkpoint's settings refuse a resume
        // that would change the result (ResumeTest), and apply or evaluate --run read the file as the user left it.
        RunDirectory run = RunDirectory.create(tmp.resolve("run").toString(), new Configuration());
        run.writeConfiguration(saved.asMap());
        assertEquals("4", ResumeSettings.saved(run).string("search.population"));
        Path file = tmp.resolve("run").resolve(RunDirectory.CONFIGURATION);
        Files.writeString(file, Files.readString(file).replace("search.population=4", "search.population=9"));
        assertEquals("9", ResumeSettings.saved(run).string("search.population"));

        // A key mistyped into the file is bad input (exit 2) naming it and the file, not an internal failure.
        Files.writeString(file, Files.readString(file) + "data.tset.size=3\n");
        BadInputException e = assertThrows(BadInputException.class, () -> ResumeSettings.saved(run));
        assertTrue(e.getMessage().contains("'data.tset.size' (did you mean 'data.test.size'?)")
                && e.getMessage().contains(file.getFileName().toString()), e.getMessage());
    }

    @Test
    void keysThatDoNotChangeTheResultMayChange() {
        Settings s = ResumeSettings.override(saved, Map.of("evaluation.partitions", "3",
                "evaluation.max-failed-fraction", "1"), "--set options");
        assertEquals("3", s.string("evaluation.partitions"));
        assertEquals("1", s.string("evaluation.max-failed-fraction"));
        assertEquals("7", s.string("search.seed"));
    }

    @Test
    void repeatingASavedValueIsFine() {
        assertEquals("7", ResumeSettings.override(saved, Map.of("search.seed", " 7"), "--set options").string("search.seed"));
    }

    @Test
    void changingAnythingElseIsRefusedNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ResumeSettings.override(saved, Map.of("search.seed", "8"), "--set options"));
        assertTrue(e.getMessage().startsWith("search.seed cannot change when a run resumes (--set options sets '8', "
                + "the run has '7')"), e.getMessage());
    }

    @Test
    void unknownKeysAreStillErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ResumeSettings.override(saved, Map.of("search.sede", "8"), "--set options"));
        assertTrue(e.getMessage().contains("Unknown configuration key 'search.sede'"), e.getMessage());
    }
}
