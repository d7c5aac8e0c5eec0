package io.evoprune.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Opens the fixture report in headless Chromium (Debian's chromium package) and checks that Chart.js drew
 * every chart: the report's script sets data-charts-rendered on the root element once it has. Skipped where
 * no Chromium is installed. Leaves target/report-browser/report.png behind to look at.
 */
@Tag("integration")
class HtmlReportBrowserTest {
    private static final Path OUT = Path.of("target", "report-browser").toAbsolutePath();

    @Test
    void chromiumDrawsEveryChart() throws IOException, InterruptedException {
        String chromium = chromium();
        assumeTrue(chromium != null, "no chromium on PATH");
        Path run = HtmlReportTest.fixture(OUT.resolve("run-fixture-" + System.nanoTime()), HtmlReportTest.FIXTURE);
        String html = HtmlReportTest.render(run);
        Path report = run.resolve(HtmlReport.FILE);

        String dom = browse(chromium, "--dump-dom", report.toUri().toString());
        Matcher expected = Pattern.compile("data-charts-expected=\"(\\d+)\"").matcher(html);
        assertTrue(expected.find());
        Matcher rendered = Pattern.compile("data-charts-rendered=\"(\\d+)\"").matcher(dom);
        assertTrue(rendered.find(), "the report's script ran to the end");
        assertEquals(expected.group(1), rendered.group(1), "charts drawn");
        // The front is drawn against the size NSGA-II minimised (parameters, the fixture's default objective).
        assertTrue(dom.contains("data-title=\"Pareto front: accuracy against parameters\""), "the Pareto chart's axis");
        Path flops = HtmlReportTest.fixture(OUT.resolve("run-flops-" + System.nanoTime()), HtmlReportTest.FIXTURE);
        Files.writeString(flops.resolve("config.properties"), "pareto.size-objective=flops\n",
                java.nio.file.StandardOpenOption.APPEND);
        HtmlReportTest.render(flops);
        assertTrue(browse(chromium, "--dump-dom", flops.resolve(HtmlReport.FILE).toUri().toString())
                .contains("data-title=\"Pareto front: accuracy against FLOPs\""), "a FLOPs front against FLOPs");

        // A run without its optional files (stopped early): the script must cope with the missing data.
        Path partial = HtmlReportTest.fixture(OUT.resolve("run-partial-" + System.nanoTime()),
                List.of("generations.jsonl"));
        HtmlReportTest.render(partial);
        String partialDom = browse(chromium, "--dump-dom", partial.resolve(HtmlReport.FILE).toUri().toString());
        assertTrue(partialDom.contains("data-charts-rendered=\"3\""), "the three search charts drawn");

        Path png = OUT.resolve("report.png");
        Files.deleteIfExists(png);
        browse(chromium, "--screenshot=" + png, "--window-size=1280,3700", report.toUri().toString());
        assertTrue(Files.size(png) > 50_000, "a screenshot with content");
    }

    private static String browse(String chromium, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--no-first-run", "--allow-file-access-from-files",
                "--user-data-dir=" + OUT.resolve("profile"), "--virtual-time-budget=5000"));
        command.addAll(List.of(args));
        Path stdout = Files.createTempFile(Files.createDirectories(OUT), "chromium", ".out");
        Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile())
                .redirectError(OUT.resolve("chromium.err").toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("chromium did not finish in 120 s: " + command);
        }
        assertEquals(0, p.exitValue(), "chromium exit code; see " + OUT.resolve("chromium.err"));
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    private static String chromium() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                if (Files.isExecutable(Path.of(dir, name))) {
                    return Path.of(dir, name).toString();
                }
            }
        }
        return null;
    }
}
