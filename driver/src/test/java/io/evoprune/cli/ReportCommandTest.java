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
        assertEquals(Main.BAD_INPUT, Main.execute("report", empty.toString()));
        assertEquals(Main.BAD_INPUT, Main.execute("report", DIR.resolve("missing").toString()));
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
