package io.evoprune.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.search.GenerationStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** config.properties reads back exactly what was written: a resumed run and the report see the run's own values. */
class RunDirectoryTest {
    @TempDir
    Path tmp;

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
    void numbersThatAreNotFiniteAreWrittenNullAndReadBackAsNaN() throws Exception {
        // A regression run's generations have no accuracy: JSON has no NaN, and the string "NaN" would make the
        // column text for jq or pandas.
        RunDirectory run = RunDirectory.create(tmp.resolve("nan").toUri().toString(), new Configuration());
        run.appendGeneration(new GenerationStats(0, 0.8, 0.5, -1e9, Double.NaN, 0.6, 8, 0, 0, 1.5));
        run.writeJson("scores.json", Map.of("mse", 0.25, "accuracy", Double.NaN, "loss", Double.POSITIVE_INFINITY));
        String line = Files.readString(tmp.resolve("nan").resolve(RunDirectory.GENERATIONS));
        assertEquals("{\"generation\":0,\"bestFitness\":0.8,\"meanFitness\":0.5,\"worstFitness\":-1.0E9,"
                + "\"bestAccuracy\":null,\"bestKeptFraction\":0.6,\"bestSizeFraction\":0.6,\"evaluations\":8,"
                + "\"cacheHits\":0,\"failed\":0,\"seconds\":1.5}\n", line);
        com.fasterxml.jackson.databind.JsonNode scores = RunJson.mapper().readTree(
                tmp.resolve("nan").resolve("scores.json").toFile());
        org.junit.jupiter.api.Assertions.assertTrue(scores.get("accuracy").isNull() && scores.get("loss").isNull()
                && scores.get("mse").asDouble() == 0.25, scores.toString());

        com.fasterxml.jackson.databind.ObjectMapper json = RunJson.mapper();
        for (String old : new String[] {"null", "\"NaN\""}) { // "NaN": a run written by an earlier version
            GenerationStats back = json.readValue(line.replace("null", old), GenerationStats.class);
            org.junit.jupiter.api.Assertions.assertTrue(Double.isNaN(back.bestAccuracy()), old);
            assertEquals(0.8, back.bestFitness(), old);
        }
    }

    @Test
    void aRunFileEditedByHandStillReads() throws Exception {
        // Through Hadoop's checksum layer each file got a .name.crc, and an edited file then failed to read with
        // "Checksum error": a run directory is the user's to open in an editor.
        RunDirectory run = RunDirectory.create(tmp.resolve("edited").toUri().toString(), new Configuration());
        run.appendGeneration(new GenerationStats(0, 0.8, 0.5, 0.1, 0.8, 0.6, 8, 0, 0, 1.5));
        run.writeJson(ReportInputs.SUMMARY, Map.of("note", "as written"));
        try (var names = Files.list(tmp.resolve("edited"))) {
            assertEquals(java.util.List.of(), names.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".crc")).toList());
        }
        Files.writeString(tmp.resolve("edited").resolve(ReportInputs.SUMMARY), "{\"note\": \"edited by hand\"}\n");
        assertEquals("edited by hand", ReportInputs.read(run.path(), new Configuration()).summary().get("note").asText());

        // A run directory of an earlier version has them: one left beside a rewritten file would fail Hadoop readers.
        Path stale = Files.writeString(tmp.resolve("edited").resolve(".summary.json.crc"), "old");
        run.writeJson(ReportInputs.SUMMARY, Map.of("note", "rewritten"));
        org.junit.jupiter.api.Assertions.assertFalse(Files.exists(stale), "the stale checksum goes with the old file");
    }

    @Test
    void anOutputFolderThatIsAFileOrNotEmptyIsRefusedNamingTheOption() throws Exception {
        Path file = Files.writeString(tmp.resolve("README.md"), "not a folder");
        String m = org.junit.jupiter.api.Assertions.assertThrows(java.nio.file.FileAlreadyExistsException.class,
                () -> RunDirectory.create(file.toString(), "--out", "--out", new Configuration())).getMessage();
        org.junit.jupiter.api.Assertions.assertTrue(m.endsWith("README.md is a file, not a folder; choose another --out"
                + " (nothing was overwritten)"), m);
        assertEquals("not a folder", Files.readString(file));

        String full = org.junit.jupiter.api.Assertions.assertThrows(java.nio.file.FileAlreadyExistsException.class,
                () -> RunDirectory.create(tmp.toString(), "--out", "--out", new Configuration())).getMessage();
        assertEquals("Output folder " + tmp + " already exists and is not empty; choose another --out (nothing was"
                + " overwritten)", full);

        // A file system whose connector jars are missing is an IOException (bad input to the job), saying what to add.
        String noJars = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> RunDirectory.create("s3a://bucket/runs/x", new Configuration())).getMessage();
        org.junit.jupiter.api.Assertions.assertTrue(noJars.startsWith("Cannot create the run directory s3a://bucket/runs/x"
                + " (key output.dir): no Hadoop file system for s3a://"), noJars);
    }

    @Test
    void aFullDiskIsAnIOExceptionNamingTheFile() throws Exception {
        // Hadoop's local file system throws FSError, an Error, when a write fails: /dev/full fails every write
        // with ENOSPC, as a full disk does.
        RunDirectory run = RunDirectory.create(tmp.resolve("full").toUri().toString(), new Configuration());
        Path tmpFile = tmp.resolve("full").resolve(".summary.json.tmp");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/dev/full")), "needs /dev/full");
        Files.createSymbolicLink(tmpFile, Path.of("/dev/full"));
        java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> run.writeText("summary.json", "x".repeat(1 << 16)));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("Cannot write " + run.file(".summary.json.tmp"))
                && e.getMessage().contains("No space left on device"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertFalse(Files.exists(tmpFile, java.nio.file.LinkOption.NOFOLLOW_LINKS),
                "the failed write's temporary file is deleted");
        org.junit.jupiter.api.Assertions.assertFalse(Files.exists(tmp.resolve("full").resolve("summary.json")),
                "nothing half-written takes the file's name");
    }

    @Test
    void aRunMayStartInAnEmptyFolderAndIsMarkedRunning() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        RunDirectory.create(empty.toUri().toString(), new Configuration());
        assertTrue(Files.exists(empty.resolve(RunDirectory.RUNNING)), "the run is marked as running");
        assertFalse(Files.exists(empty.resolve(RunDirectory.SUCCESS)));
    }

    @Test
    void aRunWhoseDriverIsAliveOnThisHostIsNotResumedMeanwhile() throws Exception {
        Path dir = tmp.resolve("live");
        String location = dir.toUri().toString();
        RunDirectory.create(location, new Configuration()).writeText(RunDirectory.CONFIGURATION, "");
        String host = RunDirectory.hostName();
        Path running = dir.resolve(RunDirectory.RUNNING);
        assertEquals(ProcessHandle.current().pid() + "@" + host, Files.readString(running).trim());
        RunDirectory.reopen(location, new Configuration()); // this JVM is the driver: nothing to wait for

        // Another evoprune JVM named as the driver, alive: a second driver would write the same files.
        Path source = Files.writeString(tmp.resolve("Wait.java"),
                "class Wait { public static void main(String[] a) throws Exception { Thread.sleep(120_000); } }");
        Process driver = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), source.toString(),
                "io.evoprune.cli.Main").start();
        Process other = new ProcessBuilder("sleep", "120").start();
        try {
            Files.writeString(running, driver.pid() + "@" + host + "\n");
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> RunDirectory.reopen(location, new Configuration()));
            assertTrue(e.getMessage().startsWith("process " + driver.pid() + " on this host (evoprune) is still"
                    + " computing it") && e.getMessage().contains("kill " + driver.pid()), e.getMessage());
            assertEquals(driver.pid() + "@" + host, Files.readString(running).trim(), "a refusal claims nothing");
            // A dead driver's pid now held by another program; a driver named from another host, which cannot be
            // seen from here; an earlier evoprune's empty _RUNNING: none of them is refused.
            for (String owner : new String[] {other.pid() + "@" + host, driver.pid() + "@elsewhere.example", ""}) {
                Files.writeString(running, owner + "\n");
                RunDirectory.reopen(location, new Configuration());
                assertEquals(ProcessHandle.current().pid() + "@" + host, Files.readString(running).trim(),
                        "the resume names itself at once");
            }
        } finally {
            driver.destroyForcibly();
            other.destroyForcibly();
            assertTrue(driver.waitFor(30, TimeUnit.SECONDS) && other.waitFor(30, TimeUnit.SECONDS));
        }
        // Once it has stopped (killed, as a crashed driver is), the run resumes.
        Files.writeString(running, driver.pid() + "@" + host + "\n");
        RunDirectory.reopen(location, new Configuration());
    }
}
