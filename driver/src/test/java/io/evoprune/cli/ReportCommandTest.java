package io.evoprune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ReportCommandTest {
    private static final Path DIR = Path.of("target", "report-command").toAbsolutePath();

    @Test
    void writesTheReportIntoTheRunDirectory() throws IOException {
        Path run = Files.createDirectories(DIR.resolve("run-" + System.nanoTime()));
        try (InputStream in = getClass().getResourceAsStream("/io/evoprune/report/run-fixture/generations.jsonl")) {
            Files.copy(in, run.resolve("generations.jsonl"));
        }
        assertEquals(Main.OK, Main.execute("report", run.toString()));
        assertTrue(Files.readString(run.resolve("report.html")).contains("chart-fitness"));
    }

    @Test
    void aDirectoryThatIsNoRunIsBadInput() throws IOException {
        Path empty = Files.createDirectories(DIR.resolve("empty-" + System.nanoTime()));
        assertTrue(badInput(empty.toString()).contains("No generations.jsonl in " + empty + ": not an evoprune run"));
        Files.writeString(empty.resolve("baselines.md"), "# The classic pruners\n");
        assertTrue(badInput(empty.toString()).endsWith("; it holds evoprune baseline's table (baselines.md), which has"
                + " no report"), "says what the folder is");
        Path missing = DIR.resolve("missing");
        assertEquals("evoprune: bad input: Run directory " + missing + " does not exist", badInput(missing.toString()));
        assertEquals(Main.BAD_INPUT, Main.execute("report", "exp:1"), "a location Hadoop's Path cannot name");
    }

    /** What {@code report dir} prints on standard error, after checking that it exits as bad input. */
    private static String badInput(String dir) {
        java.io.StringWriter err = new java.io.StringWriter();
        int code = Main.execute(new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(err),
                "report", dir);
        assertEquals(Main.BAD_INPUT, code, err.toString());
        return err.toString().strip();
    }

    @Test
    void aHandEditedConfigurationWithABadEscapeIsBadInput() throws IOException {
        Path run = Files.createDirectories(DIR.resolve("bad-properties-" + System.nanoTime()));
        Files.writeString(run.resolve("generations.jsonl"), "{\"generation\": 0}\n");
        Files.writeString(run.resolve("config.properties"), "data.path=C:\\users\\me\n"); // a backslash and u start an escape
        java.io.StringWriter err = new java.io.StringWriter();
        int code = Main.execute(new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(err),
                "report", run.toString());
        assertEquals(Main.BAD_INPUT, code, err.toString());
        assertTrue(err.toString().contains(run.resolve("config.properties") + " as Java properties"), err.toString());
    }

    @Test
    void unreadableJsonIsBadInput() throws IOException {
        Path run = Files.createDirectories(DIR.resolve("bad-json-" + System.nanoTime()));
        Files.writeString(run.resolve("generations.jsonl"), "{\"generation\": 0}\n{\"generation\": \n");
        assertEquals(Main.BAD_INPUT, Main.execute("report", run.toString()));
        Files.writeString(run.resolve("generations.jsonl"), "{\"generation\": 0}\n");
        Files.writeString(run.resolve("summary.json"), "{\"base\": ");
        assertEquals(Main.BAD_INPUT, Main.execute("report", run.toString()));
        assertTrue(Files.notExists(run.resolve("report.html")));
    }
}
