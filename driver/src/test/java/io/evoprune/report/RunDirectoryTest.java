package io.evoprune.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** config.properties reads back exactly what was written: a resumed run and the report see the run's own values. */
class RunDirectoryTest {
    @TempDir
    java.nio.file.Path tmp;

    @Test
    void theSavedConfigurationReadsBackEveryValueAsWritten() throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("data.csv.delimiter", "\\t");        // the two characters DataConfig reads as a tab
        settings.put("data.path", "C:\\data\\new");         // backslashes that Properties.load would eat
        settings.put("model.path", "\\");                  // a trailing backslash that would join the next line
        settings.put("output.name", "a=b:c #d !e ü");
        settings.put("search.population", "8");
        RunDirectory run = RunDirectory.create(tmp.resolve("run").toUri().toString(), new Configuration());
        run.writeConfiguration(settings);

        Properties back = run.readConfiguration();
        assertEquals(settings.size(), back.size(), back.toString());
        settings.forEach((k, v) -> assertEquals(v, back.getProperty(k), k));
        Files.writeString(tmp.resolve("run").resolve(RunDirectory.GENERATIONS), "{\"generation\":0}\n");
        assertEquals(settings, ReportInputs.read(run.path(), new Configuration()).config(), "the report's view");
        String text = Files.readString(tmp.resolve("run").resolve(RunDirectory.CONFIGURATION));
        assertEquals("search.population=8", text.lines().filter(l -> l.startsWith("search.")).findFirst().orElseThrow(),
                "plain values stay plain");
    }

    @Test
    void aFileWhereTheFolderShouldBeIsNamedAsAFile() throws Exception {
        java.nio.file.Path file = Files.writeString(tmp.resolve("README.md"), "not a folder");
        String m = org.junit.jupiter.api.Assertions.assertThrows(java.nio.file.FileAlreadyExistsException.class,
                () -> RunDirectory.create(file.toString(), "--out", "--out", new Configuration())).getMessage();
        org.junit.jupiter.api.Assertions.assertTrue(m.endsWith("README.md is a file, not a folder; choose another --out"
                + " (nothing was overwritten)"), m);
        assertEquals("not a folder", Files.readString(file));
    }

    @Test
    void aFullDiskIsAnIOExceptionNamingTheFile() throws Exception {
        // Hadoop's local file system throws FSError, an Error, when a write fails: /dev/full fails every write
        // with ENOSPC, as a full disk does.
        RunDirectory run = RunDirectory.create(tmp.resolve("full").toUri().toString(), new Configuration());
        java.nio.file.Path tmpFile = tmp.resolve("full").resolve(".summary.json.tmp");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(java.nio.file.Path.of("/dev/full")), "needs /dev/full");
        Files.createSymbolicLink(tmpFile, java.nio.file.Path.of("/dev/full"));
        java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> run.writeText("summary.json", "x".repeat(1 << 16)));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("Cannot write " + run.file(".summary.json.tmp"))
                && e.getMessage().contains("No space left on device"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertFalse(Files.exists(tmpFile, java.nio.file.LinkOption.NOFOLLOW_LINKS),
                "the failed write's temporary file is deleted");
        org.junit.jupiter.api.Assertions.assertFalse(Files.exists(tmp.resolve("full").resolve("summary.json")),
                "nothing half-written takes the file's name");
    }
}
