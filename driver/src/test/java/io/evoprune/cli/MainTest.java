package io.evoprune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.job.BadInputException;
import io.evoprune.job.RunFailedException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void aJvmWithoutSparkIsToldHowToStartTheJar() {
        // The platform loader sees the JDK only: what `java -jar evoprune.jar` has of Spark.
        String message = Main.missingSpark(ClassLoader.getPlatformClassLoader());
        assertTrue(message != null && message.contains("spark-submit") && message.contains("bin/evoprune"), message);
        assertNull(Main.missingSpark(Main.class.getClassLoader()));
    }

    private record Printed(int code, String text) {
    }

    private static Printed report(Exception e) {
        StringWriter text = new StringWriter();
        int code = Main.report(e, new PrintWriter(text));
        return new Printed(code, text.toString());
    }

    @Test
    void badInputIsOneLineAndExitCode2() {
        Printed p = report(new BadInputException("search.population must be at least 2, but was 1"));
        assertEquals(Main.BAD_INPUT, p.code());
        assertEquals("evoprune: bad input: search.population must be at least 2, but was 1" + System.lineSeparator(),
                p.text());
    }

    @Test
    void aMalformedCommandLineIsBadInputInOneLineWithWhereToReadMore() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out), new PrintWriter(err), "run", "--set", "search.population");
        assertEquals(Main.BAD_INPUT, code);
        assertTrue(err.toString().startsWith("evoprune: bad input: Value for option '--set' (KEY=VALUE) should be in"
                + " KEY=VALUE format but was search.population"), err.toString());
        assertTrue(err.toString().contains("the options: evoprune run --help") && !err.toString().contains("Usage:"),
                err.toString());

        StringWriter typo = new StringWriter();
        assertEquals(Main.BAD_INPUT, Main.execute(new PrintWriter(out), new PrintWriter(typo), "run", "--resum", "x"));
        assertTrue(typo.toString().startsWith("evoprune: bad input: Unknown options: '--resum', 'x'"), typo.toString());
        assertTrue(typo.toString().contains("the options: evoprune run --help"), typo.toString());
    }

    @Test
    void aRemoteLocationWithoutItsConnectorIsBadInputNamingItWhole() {
        // Each command's file options are Hadoop locations (a local path's parser would make s3a:// into s3a:/).
        for (String[] args : new String[][] {{"baseline", "--mask", "s3a://bucket/best-mask.json"},
                {"evaluate", "--run", "s3a://bucket/runs/x"}, {"report", "s3a://bucket/runs/x"}}) {
            StringWriter err = new StringWriter();
            assertEquals(Main.BAD_INPUT, Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), args),
                    String.join(" ", args) + ": " + err);
            assertTrue(err.toString().contains(args[args.length - 1] + " cannot be reached: no Hadoop file system"
                    + " for s3a://"), err.toString());
        }
    }

    @Test
    void onlyAConfigurationsIllegalArgumentIsBadInput() {
        BadInputException config = org.junit.jupiter.api.Assertions.assertThrows(BadInputException.class,
                () -> Main.configuration(() -> {
                    throw new IllegalArgumentException("search.population must be at least 2, but was 1");
                }));
        assertEquals(Main.BAD_INPUT, report(config).code());

        // The same exception from anywhere else is a bug: exit 1, with the trace to find it by.
        Printed bug = report(new IllegalArgumentException("index 7 out of bounds"));
        assertEquals(Main.FAILED, bug.code());
        assertTrue(bug.text().startsWith("evoprune: failed: java.lang.IllegalArgumentException: index 7")
                && bug.text().contains("\tat "), bug.text());
    }

    @Test
    void aFailureShowsItsCausesAndATraceOnlyWhereTheRootLooksLikeABug() {
        Printed disk = report(new RunFailedException("The search stopped: disk full", new IOException("No space left")));
        assertEquals(Main.FAILED, disk.code());
        assertTrue(disk.text().contains("caused by java.io.IOException: No space left"), disk.text());
        assertFalse(disk.text().contains("\tat "), "an I/O root says it all: " + disk.text());

        Printed bug = report(new RunFailedException("The search stopped", new NullPointerException("x")));
        assertTrue(bug.text().contains("caused by java.lang.NullPointerException: x") && bug.text().contains("\tat "),
                bug.text());

        Printed interrupt = report(new RunFailedException("Pretraining the base: interrupted", null));
        assertEquals("evoprune: failed: Pretraining the base: interrupted" + System.lineSeparator(), interrupt.text());
    }
}
