package io.evoprune.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {
    static final List<String> FIXTURE = List.of("generations.jsonl", "summary.json", "best-mask.json", "pareto.json",
            "rebuild.json", "config.properties");

    @TempDir
    java.nio.file.Path tmp;

    @BeforeAll
    static void temporaryFilesLiveUnderTarget() throws IOException {
        // Surefire points java.io.tmpdir at target/tmp but does not create it.
        Files.createDirectories(java.nio.file.Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** Copies the fixture run directory (or some of its files) to a fresh directory. */
    static java.nio.file.Path fixture(java.nio.file.Path dir, List<String> files) throws IOException {
        Files.createDirectories(dir);
        for (String f : files) {
            try (InputStream in = HtmlReportTest.class.getResourceAsStream("run-fixture/" + f)) {
                Files.copy(in, dir.resolve(f));
            }
        }
        return dir;
    }

    static String render(java.nio.file.Path dir) throws IOException {
        Path written = HtmlReport.write(new Path(dir.toUri()), new Configuration());
        assertEquals(HtmlReport.FILE, written.getName());
        return Files.readString(dir.resolve(HtmlReport.FILE), StandardCharsets.UTF_8);
    }

    static JsonNode data(String html) throws IOException {
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"evoprune-data\">(.*?)</script>",
                Pattern.DOTALL).matcher(html);
        assertTrue(m.find(), "embedded data block");
        return new ObjectMapper().readTree(m.group(1));
    }

    @Test
    void aFullRunDirectoryGetsEverySectionAndChart() throws IOException {
        String html = render(fixture(tmp.resolve("run-1"), FIXTURE));

        assertTrue(html.startsWith("<!DOCTYPE html>"));
        for (String section : List.of("search", "mask", "metrics", "exported", "pareto", "rebuild", "configuration")) {
            assertTrue(html.contains("<section id=\"" + section + "\">"), section);
        }
        List<String> charts = List.of("chart-fitness", "chart-best", "chart-evaluations", "chart-layers",
                "chart-metrics", "chart-pareto", "chart-rebuild");
        for (String chart : charts) {
            assertTrue(html.contains("<canvas id=\"" + chart + "\""), chart);
        }
        assertTrue(html.contains("data-charts-expected=\"7\""));
        // summary.json's paired test, in words (numbers from scipy.stats.binomtest(107, 257))
        assertTrue(html.contains("<strong>Pruned against base, example by example on the test split:</strong> accuracy"
                + " pruned - base -0.0043 (95% CI -0.0074 to -0.0012) on 10,000 examples; right only for pruned 107,"
                + " base 150; McNemar exact p = 0.0087: pruned worse."), html);

        // The delivered model against the base and the dense control, the control named as such.
        assertTrue(html.contains("<th>base</th><th>dense control</th><th>rebuilt-model.zip</th>"), html);
        assertTrue(html.contains("<tr><th>test accuracy</th><td>0.8542</td><td>0.8566</td><td>0.8512</td></tr>"), html);
        assertTrue(html.contains("<strong>rebuilt-model.zip against the dense control, example by example on the test"
                + " split:</strong> accuracy pruned - control -0.0054 (95% CI -0.0087 to -0.0021) on 10,000 examples;"
                + " right only for pruned 106, control 160; McNemar exact p = 0.0011: pruned worse."), html);

        JsonNode data = data(html);
        assertEquals("run-1", data.path("run").asText());
        assertEquals(16, data.path("generations").size());
        assertEquals(charts.size(), data.path("charts").size());
        assertEquals(9, data.path("pareto").size());
        assertEquals(300, data.path("bestMask").path("layers").path(0).path("units").asInt());
        assertEquals(0.8615, data.path("summary").path("base").path("validation").path("accuracy").asDouble());
        // Generation 6 had a failed evaluation (fitness -1e9): its mean and worst are gaps, not points at -6e7.
        assertTrue(data.path("generations").path(6).path("meanFitness").isNull());
        assertTrue(data.path("generations").path(6).path("worstFitness").isNull());
        assertTrue(data.path("generations").path(6).path("bestFitness").isNumber());
        assertTrue(html.contains("<tr class=\"chosen\">"), "the chosen Pareto point is marked");
        // Charted against the size the front is non-dominated in (the default objective here), not the unit share.
        assertEquals("parametersKept", data.path("paretoSize").asText());
        assertTrue(html.contains("validation accuracy against parameters, the size NSGA-II minimised"
                + " (pareto.size-objective)"), html);
    }

    @Test
    void aFlopsFrontIsChartedAgainstFlops() throws IOException {
        java.nio.file.Path dir = fixture(tmp.resolve("flops"), FIXTURE);
        // As typed: the run reads the value in any case.
        Files.writeString(dir.resolve("config.properties"), "pareto.size-objective=FLOPS\n",
                java.nio.file.StandardOpenOption.APPEND);
        String html = render(dir);
        assertEquals("flops", data(html).path("paretoSize").asText());
        assertTrue(html.contains("validation accuracy against FLOPs, the size NSGA-II minimised"), html);
    }

    @Test
    void everyChartedNumberIsInATableToo() throws IOException {
        String html = render(fixture(tmp.resolve("run-tables"), FIXTURE));
        // Generation 0 of the fixture, and fc1 of its best mask: what chart-fitness, chart-best and chart-layers draw.
        assertTrue(html.contains("<tr><th>0</th><td>0.6333</td><td>0.5660</td><td>0.5035</td><td>0.7966</td>"
                + "<td>0.7207</td><td>16</td><td>0</td><td>0</td></tr>"), html);
        JsonNode fc1 = data(html).path("bestMask").path("layers").path(0);
        assertTrue(html.contains("<tr><th>" + fc1.path("name").asText() + "</th><td>300</td><td>"
                + fc1.path("kept").asInt() + "</td>"), html);
        // Each layer's kept fraction is of its own units: fc1 91 of 300, fc2 55 of 100.
        assertTrue(html.contains("<tr><th>fc1</th><td>300</td><td>91</td><td>30.3%</td></tr>")
                && html.contains("<tr><th>fc2</th><td>100</td><td>55</td><td>55.0%</td></tr>"), html);
    }

    @Test
    void aRegressionChartsTheMetricItsFitnessWasBuiltOnAndDrawsNoClassificationBars() throws IOException {
        java.nio.file.Path dir = fixture(tmp.resolve("run-regression"), FIXTURE);
        java.nio.file.Path generations = dir.resolve("generations.jsonl");
        Files.writeString(generations, Files.readString(generations).replaceAll("\"bestAccuracy\":[0-9.eE-]+",
                "\"bestAccuracy\":null"));
        Files.writeString(dir.resolve("summary.json"), Files.readString(dir.resolve("summary.json"))
                .replace("\"accuracy\"", "\"r2\""));
        Files.writeString(dir.resolve("config.properties"), Files.readString(dir.resolve("config.properties"))
                + "data.task=regression\nfitness.metric=mse\nfitness.penalty=3\n");
        String html = render(dir);
        assertFalse(html.contains("<canvas id=\"chart-metrics\""), "no accuracy bars for a regression");
        assertTrue(html.contains("Best mask per generation: validation mse and kept fraction")
                && html.contains("<th>best: validation mse</th>"), html);
        // fitness = -mse - 3 x max(0, kept - 0.5): generation 0 kept 0.7207 at fitness 0.633295.
        JsonNode g0 = data(html).path("generations").path(0);
        assertEquals(-(0.633295 + 3 * (0.7207 - 0.5)), g0.path("bestMetric").asDouble(), 1e-12);
        assertEquals("mse", data(html).path("metric").asText());
    }

    @Test
    void aWeightMaskIsShownAsTheMaskedNetworkItIs() throws IOException {
        java.nio.file.Path dir = fixture(tmp.resolve("run-weight"), FIXTURE);
        Files.writeString(dir.resolve("rebuild.json"), Files.readString(dir.resolve("rebuild.json"))
                .replace("\"rebuiltSmaller\": true", "\"rebuiltSmaller\": false"));
        Files.writeString(dir.resolve("config.properties"), Files.readString(dir.resolve("config.properties"))
                + "search.strategy=nsga2\n");
        String html = render(dir);
        assertTrue(html.contains("<h2>Masked network</h2>") && !html.contains("<h2>Rebuilt network</h2>"), html);
        assertTrue(html.contains("The dense base network against the point of the front that pareto.pick chose"), html);
    }

    @Test
    void theBaseVsPrunedTableShowsTheShareOfParametersAndTheSignedChange() throws IOException {
        String html = render(fixture(tmp.resolve("run"), FIXTURE));
        assertTrue(html.contains("<tr><th>parameters</th><td>266,610</td><td>77,055</td><td>28.9% of base</td></tr>"),
                html);
        assertTrue(html.contains("<tr><th>validation accuracy</th><td>0.8615</td><td>0.8571</td><td>-0.0044</td></tr>"),
                html);
        assertTrue(html.contains("<tr><th>test loss</th><td>0.4088</td><td>0.4190</td><td>+0.0102</td></tr>"), html);
        // rebuild.json's recovered network against the base, in words
        assertTrue(html.contains("<strong>Recovered against base, example by example on the test split:</strong>"
                + " accuracy pruned - base -0.0011 (95% CI -0.0039 to +0.0017) on 10,000 examples; right only for"
                + " pruned 120, base 131; McNemar exact p = 0.47: no significant difference."), html);
    }

    /** The rebuild section of a report, from its heading to its end. */
    static String rebuildSection(String html) {
        int start = html.indexOf("<section id=\"rebuild\">");
        assertTrue(start >= 0, "rebuild section");
        return html.substring(start, html.indexOf("</section>", start));
    }

    @Test
    void theRebuiltNetworkIsATableOfLabelledMeasuresAndScores() throws IOException {
        String html = render(fixture(tmp.resolve("run-rebuild"), FIXTURE));
        String section = rebuildSection(html);

        // The console's measures and order, then the recovered network's scores; base/rebuilt as the console has it.
        assertTrue(section.contains("<thead><tr><th>measure</th><th>base</th><th>rebuilt</th><th>base/rebuilt</th>"),
                section);
        List<String> rows = List.of(
                "<tr><th>parameters</th><td>266,610</td><td>76,975</td><td>3.46x</td></tr>",
                "<tr><th>multiply-adds per example</th><td>266,200</td><td>76,800</td><td>3.47x</td></tr>",
                "<tr><th>model file bytes (no updater state)</th><td>989,326</td><td>287,790</td><td>3.44x</td></tr>",
                "<tr><th>latency batch 1 (ms)</th><td>0.212</td><td>0.118</td><td>1.80x</td></tr>",
                "<tr><th>latency batch 1, fastest run (ms)</th><td>0.198</td><td>0.109</td><td>1.82x</td></tr>",
                "<tr><th>latency batch 256 (ms)</th><td>6.840</td><td>2.510</td><td>2.73x</td></tr>",
                "<tr><th>latency batch 256, fastest run (ms)</th><td>6.510</td><td>2.370</td><td>2.75x</td></tr>",
                "<tr><th>peak inference bytes</th><td>2,715,080</td><td>1,384,738</td><td>1.96x</td></tr>",
                "<tr><th>test accuracy (recovered)</th><td>0.8542</td><td>0.8531</td><td>-0.0011</td></tr>",
                // rebuild.json has no validation score of the base: summary.json's, on the same split.
                "<tr><th>validation accuracy (recovered)</th><td>0.8615</td><td>0.8604</td><td>-0.0011</td></tr>");
        int at = -1;
        for (String row : rows) {
            int next = section.indexOf(row);
            assertTrue(next > at, "in order: " + row + "\n" + section);
            at = next;
        }
        assertEquals(rows.size(), section.split("<tr><th>", -1).length - 2, "no other rows (header excluded)");
        // How it was measured is a caption, not rows; fields that are null are left out, not printed.
        assertTrue(section.contains("latency: median of 31 timed runs after warm-up · batch size 256"), section);
        assertTrue(section.contains("scores after recovery (1 epoch(s), lr 5.0E-4)"), section);
        assertTrue(section.contains("max |rebuilt - masked| on the test set 0; bound 1.00e-05 (relative bound 1e-05"
                + " of 1.000, the largest |output| of the masked network, at least 1)"), section);
        assertFalse(section.contains("null"), section);
        assertFalse(section.contains("latencyBatch"), "field names are not labels");

        JsonNode bars = data(html).path("rebuild");
        assertEquals(8, bars.size(), "one bar per measure, none for the scores");
        assertEquals("latency batch 256 (ms)", bars.path(5).path("label").asText());
        assertEquals(100 * 2.51 / 6.84, bars.path(5).path("percent").asDouble(), 1e-9);

        // rebuild.json from before the bound was relative: its absolute bound, as it was printed then
        java.nio.file.Path older = fixture(tmp.resolve("run-rebuild-absolute-bound"), FIXTURE);
        java.nio.file.Path olderJson = older.resolve("rebuild.json");
        Files.writeString(olderJson, Files.readString(olderJson).replace("  \"equivalenceScale\": 1.0,\n", ""));
        assertTrue(rebuildSection(render(older)).contains("max |rebuilt - masked| on the test set 0 (bound 1e-05)"),
                rebuildSection(render(older)));

        java.nio.file.Path noSummary = fixture(tmp.resolve("run-rebuild-no-summary"), FIXTURE);
        Files.delete(noSummary.resolve("summary.json"));
        assertTrue(rebuildSection(render(noSummary)).contains(
                "<tr><th>validation accuracy (recovered)</th><td></td><td>0.8604</td><td></td></tr>"), "none to show");
    }

    @Test
    void aRebuildJsonLackingFieldsStillRenders() throws IOException {
        // Hand-written or from an older version: unknown fields ignored, missing ones leave their rows out.
        java.nio.file.Path dir = fixture(tmp.resolve("run-rebuild-partial"), List.of("generations.jsonl"));
        Files.writeString(dir.resolve("rebuild.json"), "{\"device\": \"cpu\", \"note\": null, \"sparsity\": null, "
                + "\"base\": {\"parameters\": 1000, \"flops\": 900}, \"rebuilt\": {\"parameters\": 400}}");
        String html = render(dir);
        String section = rebuildSection(html);
        assertTrue(section.contains("<tr><th>parameters</th><td>1,000</td><td>400</td><td>2.50x</td></tr>"), section);
        assertEquals(1, section.split("<tr><th>", -1).length - 2, "only the parameters row: " + section);
        assertFalse(section.contains("null"), section);
        assertFalse(section.contains("class=\"notes\""), "nothing to say under the table");
    }

    @Test
    void theReportIsSelfContained() throws IOException {
        String html = render(fixture(tmp.resolve("run-2"), FIXTURE));
        assertFalse(Pattern.compile("<script[^>]+src=", Pattern.CASE_INSENSITIVE).matcher(html).find());
        assertFalse(Pattern.compile("<link", Pattern.CASE_INSENSITIVE).matcher(html).find());
        assertFalse(Pattern.compile("(src|href)=\"(https?:)?//", Pattern.CASE_INSENSITIVE).matcher(html).find());
        assertTrue(html.contains("Chart.js v" + HtmlReport.ChartJs.VERSION), "Chart.js inlined");
        assertTrue(html.contains("data-charts-rendered"), "the drawing script is inlined");
    }

    @Test
    void aFitnessOnMultiplyAddsShowsTheirKeptShareBesideTheUnits() throws IOException {
        java.nio.file.Path dir = fixture(tmp.resolve("run-flops"), FIXTURE);
        var summary = (com.fasterxml.jackson.databind.node.ObjectNode) new ObjectMapper()
                .readTree(dir.resolve("summary.json").toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) summary.path("search")).put("fitnessSize", "flops")
                .put("sizeFraction", 0.236);
        new ObjectMapper().writeValue(dir.resolve("summary.json").toFile(), summary);
        assertTrue(render(dir).contains("<div><dt>kept multiply-adds</dt><dd>23.6%</dd></div>"));
        // A units fitness (and summaries written before fitness.size existed) shows the kept units alone.
        assertFalse(render(fixture(tmp.resolve("run-units"), FIXTURE)).contains("kept multiply-adds"));
    }

    @Test
    void aRunWithBaselinesGetsTheirTableWithTheSearchFirst() throws IOException {
        List<String> files = new java.util.ArrayList<>(FIXTURE);
        files.add("baselines.json");
        String html = render(fixture(tmp.resolve("run-baselines"), files));
        assertTrue(html.contains("<section id=\"baselines\">"));
        int search = html.indexOf("<tr><th>search (genetic)</th><td>49.8%</td><td>199</td><td>122,941</td>");
        int l1 = html.indexOf("<tr><th>l1</th>");
        assertTrue(search > 0 && l1 > search, "the search's row, then the pruners'");
        assertTrue(html.contains("<td>0.8315</td><td>-0.0223 (p 0.00061)</td>"), "l1 against the search");
        assertTrue(html.contains("the search&#39;s own mask is the first row, and &quot;dense (nothing pruned)&quot; the base"),
                "the dense row explained where there is one");
        assertFalse(render(fixture(tmp.resolve("run-no-baselines"), FIXTURE)).contains("id=\"baselines\""));
    }

    @Test
    void aRunWithoutOptionalFilesGetsOnlyTheSearchSection() throws IOException {
        String html = render(fixture(tmp.resolve("run-3"), List.of("generations.jsonl")));
        assertTrue(html.contains("data-charts-expected=\"3\""));
        for (String absent : List.of("mask", "metrics", "pareto", "rebuild", "configuration")) {
            assertFalse(html.contains("<section id=\"" + absent + "\">"), absent);
        }
        assertTrue(html.contains("the run has not finished"));
        JsonNode data = data(html);
        assertTrue(data.path("summary").isNull());
        assertEquals(0, data.path("pareto").size());
    }

    @Test
    void paretoAsABareListWithoutDrawablePointsIsSkipped() throws IOException {
        java.nio.file.Path dir = fixture(tmp.resolve("run-4"), List.of("generations.jsonl"));
        Files.writeString(dir.resolve("pareto.json"), "[{\"accuracy\": 0.8}, {\"keptFraction\": 0.3}]");
        assertFalse(render(dir).contains("<section id=\"pareto\">"));
        Files.writeString(dir.resolve("pareto.json"), "[{\"accuracy\": 0.8, \"parametersKept\": 1000}]");
        assertTrue(render(dir).contains("<section id=\"pareto\">"));
    }

    @Test
    void paretoWrittenByTheSearchShowsItsParameters() throws IOException {
        // Serialised from the record the NSGA-II run writes, so a renamed field shows up here.
        java.nio.file.Path dir = fixture(tmp.resolve("run-4b"), List.of("generations.jsonl"));
        new ObjectMapper().writeValue(dir.resolve("pareto.json").toFile(), List.of(new ParetoReport(0.365, 73,
                77055, 154110, 0.8571, 0.85, 0.7448, 0.41, List.of(73), "01", true, true)));
        assertTrue(render(dir).contains("<tr class=\"chosen\"><td>chosen</td><td>0.8571</td><td>36.5%</td>"
                + "<td>77,055</td>"), "the parameters column is filled");
    }

    @Test
    void textFromTheRunCannotCloseTheScriptOrInjectMarkup() throws IOException {
        java.nio.file.Path dir = fixture(tmp.resolve("run-5"), List.of("generations.jsonl", "config.properties"));
        Files.writeString(dir.resolve("best-mask.json"), "{\"granularity\": \"neuron\", \"units\": 2, \"kept\": 1, "
                + "\"keptFraction\": 0.5, \"layers\": [{\"layer\": 0, \"name\": \"</script><b>x\", \"units\": 2, "
                + "\"kept\": 1}]}");
        String html = render(dir);
        assertEquals(3, html.split("</script>", -1).length - 1, "only the three script elements close");
        assertEquals("</script><b>x", data(html).path("bestMask").path("layers").path(0).path("name").asText());
    }

    @Test
    void badInputNamesTheFile() throws IOException {
        java.nio.file.Path empty = Files.createDirectories(tmp.resolve("empty"));
        FileNotFoundException missing = assertThrows(FileNotFoundException.class,
                () -> HtmlReport.write(new Path(empty.toUri()), new Configuration()));
        assertTrue(missing.getMessage().contains("generations.jsonl"), missing.getMessage());

        java.nio.file.Path dir = fixture(tmp.resolve("run-6"), List.of("generations.jsonl"));
        Files.writeString(dir.resolve("summary.json"), "{\"base\": ");
        IOException bad = assertThrows(IOException.class, () -> HtmlReport.write(new Path(dir.toUri()),
                new Configuration()));
        assertTrue(bad.getMessage().contains("summary.json"), bad.getMessage());
        assertFalse(Files.exists(dir.resolve(HtmlReport.FILE)), "nothing half-written");

        java.nio.file.Path rows = fixture(tmp.resolve("run-7"), List.of("generations.jsonl"));
        Files.writeString(rows.resolve("baselines.json"), "{\"method\": \"l1\"}");
        IOException notRows = assertThrows(IOException.class, () -> HtmlReport.write(new Path(rows.toUri()),
                new Configuration()));
        assertTrue(notRows.getMessage().contains("baselines.json is not a list of rows"), notRows.getMessage());
    }
}
