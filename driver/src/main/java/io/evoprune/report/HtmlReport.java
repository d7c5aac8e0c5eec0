package io.evoprune.report;

import static io.evoprune.config.EvaluationKeys.FITNESS_METRIC;
import static io.evoprune.config.EvaluationKeys.FITNESS_PENALTY;
import static io.evoprune.config.EvaluationKeys.FITNESS_TARGET;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.evoprune.baseline.Baselines;
import io.evoprune.config.StrategyConfig;
import io.evoprune.config.StrategyKeys;
import io.evoprune.data.DataFiles;
import io.evoprune.evaluation.Checks;
import io.evoprune.evaluation.Fitness;
import io.evoprune.evaluation.Metric;
import io.evoprune.evaluation.PairedComparison;
import io.evoprune.rebuild.Equivalence;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * report.html: one self-contained page per run (Chart.js and the data inlined, nothing fetched), so it opens
 * offline straight from the run directory. The numbers are also written as HTML tables, so the page says
 * everything even where scripts are blocked; the script draws the charts and then sets
 * {@code data-charts-rendered} on the root element, which is how tests see that drawing worked.
 */
public final class HtmlReport {
    public static final String FILE = "report.html";

    private static final ObjectMapper JSON = RunJson.mapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    // Fitness.WORST marks failed evaluations; a worst fitness that is one is off any useful scale.
    private static final double OFF_SCALE = Fitness.WORST / 1000;
    private static final String[] METRICS = {"accuracy", "precision", "recall", "f1", "loss", "mse", "mae", "r2"};

    private HtmlReport() {
    }

    /** Renders the report of a run directory into it, atomically (a temporary file renamed into place). */
    public static Path write(Path runDir, Configuration hadoop) throws IOException {
        String html = render(ReportInputs.read(runDir, hadoop));
        FileSystem fs = DataFiles.withoutChecksums(DataFiles.fileSystem(runDir, hadoop));
        Path target = new Path(runDir, FILE);
        RunDirectory.writeAtomically(fs, target, html.getBytes(StandardCharsets.UTF_8));
        return target;
    }

    public static String render(ReportInputs in) {
        List<String> charts = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        header(body, in);
        String metric = searchedMetric(in);
        ArrayNode generations = generations(in.generations(), in.config());
        section(body, "search", "Search", "Fitness of the best and the mean mask per generation, what the best mask "
                + "scored, and how many masks each generation evaluated.");
        chart(body, charts, "chart-fitness", "Fitness per generation");
        chart(body, charts, "chart-best", "Best mask per generation: validation " + metric + " and kept fraction");
        chart(body, charts, "chart-evaluations", "Evaluations per generation");
        body.append("</div>\n");
        generationsTable(body, generations, metric);
        body.append("</section>\n");
        boolean nsga2 = "nsga2".equals(in.config().get("search.strategy"));
        String chosen = nsga2 ? "the point of the front that pareto.pick chose" : "the best mask";
        if (in.bestMask() != null) {
            section(body, "mask", "Chosen mask", "Fraction of prunable " + text(in.bestMask(), "granularity", "unit")
                    + "s kept in each layer: " + in.bestMask().path("kept").asLong() + " of "
                    + in.bestMask().path("units").asLong() + " overall ("
                    + percent(in.bestMask().path("keptFraction").asDouble()) + ").");
            chart(body, charts, "chart-layers", "Kept fraction per layer");
            body.append("</div>\n");
            layersTable(body, in.bestMask());
            body.append("</section>\n");
        }
        if (in.summary() != null) {
            // Bars for the classification scores, which share one scale; a regression's are in the table alone.
            boolean scores = in.summary().path("base").path("validation").path("accuracy").isNumber();
            section(body, "metrics", "Base vs pruned", "The dense base network against " + chosen + ", fine-tuned "
                    + "again with its own seed, on the validation and the held-out test split.");
            if (scores) {
                chart(body, charts, "chart-metrics", "Base vs pruned metrics");
            }
            body.append("</div>\n");
            metricsTable(body, in.summary());
            comparison(body, "Pruned against base", in.summary().path("testComparison"), "base");
            body.append("</section>\n");
            exported(body, in.summary().path("exported"), in.summary().path("base"));
        }
        List<JsonNode> front = paretoPoints(in.pareto());
        String[] paretoSize = paretoSize(in.config());
        if (!front.isEmpty()) {
            section(body, "pareto", "Pareto front", "Non-dominated masks: validation accuracy against "
                    + paretoSize[1] + ", the size NSGA-II minimised (" + StrategyKeys.NSGA2_SIZE.name()
                    + "). The chosen mask is highlighted.");
            chart(body, charts, "chart-pareto", "Pareto front");
            body.append("</div>\n");
            paretoTable(body, front);
            body.append("</section>\n");
        }
        if (!in.baselines().isEmpty()) {
            boolean dense = in.baselines().stream().anyMatch(r -> Baselines.DENSE.equals(r.path("method").asText()));
            heading(body, "baselines", "Search against the classic pruners", "Each pruner at the search's size, with"
                    + " the fine-tune budget of one search evaluation (baselines.md says which); the search's own mask"
                    + " is the first row" + (dense ? ", and \"" + Baselines.DENSE + "\" the base given that budget"
                    + " with nothing pruned." : "."));
            baselinesTable(body, in.baselines());
            body.append("</section>\n");
        }
        List<RebuildRow> rebuild = rebuildRows(in.rebuild(), in.summary());
        // Bars for what was measured on both networks; scores are compared in the table, by difference.
        List<RebuildRow> bars = rebuild.stream().filter(r -> !r.score && r.base > 0 && r.rebuilt >= 0).toList();
        if (!rebuild.isEmpty()) {
            if (!in.rebuild().path("rebuiltSmaller").asBoolean(true)) { // a 'weight' mask: nothing is rebuilt
                heading(body, "rebuild", "Masked network", "A 'weight' mask removes single connections and leaves"
                        + " every layer's shape, so nothing is rebuilt smaller: the masked network (its zeros"
                        + " counted as removed parameters) against the base.");
            } else if (bars.isEmpty()) { // a file without measurements
                heading(body, "rebuild", "Rebuilt network", "The pruned network against the base.");
            } else {
                section(body, "rebuild", "Rebuilt network", "The pruned network rebuilt physically smaller, "
                        + "measured against the base: each bar is the rebuilt value as a percentage of the base.");
                chart(body, charts, "chart-rebuild", "Rebuilt network, % of base");
                body.append("</div>\n");
            }
            rebuildTable(body, in.rebuild(), rebuild);
            comparison(body, "Recovered against base", in.rebuild().path("recovery").path("testAgainstBase"), "base");
            body.append("</section>\n");
        }
        configuration(body, in.config());

        ObjectNode data = NODES.objectNode();
        data.put("run", in.runName());
        data.set("generations", generations);
        data.put("metric", metric);
        data.set("bestMask", in.bestMask());
        data.set("summary", in.summary());
        data.set("pareto", NODES.arrayNode().addAll(front));
        // Drawn against the size the front is non-dominated in: against another, its points need not descend.
        data.put("paretoSize", paretoSize[0]);
        ArrayNode rebuildData = data.putArray("rebuild");
        bars.forEach(r -> rebuildData.addObject().put("metric", r.field).put("label", r.label)
                .put("percent", 100 * r.rebuilt / r.base));
        data.putArray("charts").addAll(charts.stream().map(NODES::textNode).toList());

        return "<!DOCTYPE html>\n<html lang=\"en\" data-charts-expected=\"" + charts.size() + "\">\n<head>\n"
                + "<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>evoprune report: " + escape(in.runName()) + "</title>\n"
                + "<style>\n" + resource("report.css") + "</style>\n</head>\n<body>\n" + body
                + "<script type=\"application/json\" id=\"evoprune-data\">" + scriptSafe(json(data)) + "</script>\n"
                + "<script>/* Chart.js " + ChartJs.VERSION + ", MIT License, (c) Chart.js Contributors */\n"
                + scriptSafe(ChartJs.source()) + "\n</script>\n"
                + "<script>\n" + resource("report.js") + "</script>\n</body>\n</html>\n";
    }

    private static void header(StringBuilder b, ReportInputs in) {
        b.append("<header>\n<h1>evoprune run <code>").append(escape(in.runName())).append("</code></h1>\n");
        JsonNode search = in.summary() == null ? null : in.summary().path("search");
        Map<String, String> facts = new LinkedHashMap<>();
        if (search != null) {
            facts.put("stopped on", search.path("stopReason").asText());
            facts.put("generations", search.path("generations").asText());
            facts.put("evaluations", String.format(Locale.ROOT, "%,d (+%,d from the cache)",
                    search.path("evaluations").asLong(), search.path("cacheHits").asLong()));
            facts.put("search time", String.format(Locale.ROOT, "%.1f s (%.2f evaluations/s)",
                    search.path("seconds").asDouble(), search.path("evaluationsPerSecond").asDouble(Double.NaN)));
            if (search.hasNonNull("evaluatedOn")) {
                facts.put("evaluated on", search.path("evaluatedOn").asText());
            }
            // For NSGA-II this is the point pareto.pick chose, not the highest fitness in generations.jsonl.
            facts.put("kept mask's fitness", number(search.path("bestFitness").asDouble(Double.NaN)));
            facts.put("kept", percent(search.path("keptFraction").asDouble()));
            String size = search.path("fitnessSize").asText("units");
            if (!size.equals("units")) { // what the fitness penalty measured, when not the units above
                facts.put("kept " + (size.equals("flops") ? "multiply-adds" : size),
                        percent(search.path("sizeFraction").asDouble()));
            }
            facts.put("seed", search.path("seed").asText());
        } else {
            facts.put("generations recorded", Integer.toString(in.generations().size()));
            facts.put("status", "no summary.json: the run has not finished (or stopped early)");
        }
        b.append("<dl class=\"facts\">\n");
        facts.forEach((k, v) -> b.append("<div><dt>").append(escape(k)).append("</dt><dd>").append(escape(v))
                .append("</dd></div>\n"));
        b.append("</dl>\n</header>\n");
    }

    /** Opens a section and its charts. */
    private static void section(StringBuilder b, String id, String title, String lead) {
        heading(b, id, title, lead);
        b.append("<div class=\"charts\">\n");
    }

    /** Opens a section: its title and lead. */
    private static void heading(StringBuilder b, String id, String title, String lead) {
        b.append("<section id=\"").append(id).append("\">\n<h2>").append(escape(title)).append("</h2>\n<p>")
                .append(escape(lead)).append("</p>\n");
    }

    private static void chart(StringBuilder b, List<String> charts, String id, String label) {
        charts.add(id);
        b.append("<figure><div class=\"chart\"><canvas id=\"").append(id).append("\" role=\"img\" aria-label=\"")
                .append(escape(label)).append("\"></canvas></div></figure>\n");
    }

    /**
     * The validation metric the Search section shows for the best mask: accuracy, which generations.jsonl records,
     * or for a regression (no accuracy) the metric the fitness was built on.
     */
    private static String searchedMetric(ReportInputs in) {
        boolean accuracy = in.generations().isEmpty()
                || in.generations().stream().anyMatch(g -> g.path("bestAccuracy").isNumber());
        Fitness fitness = accuracy ? null : regressionFitness(in.config());
        return fitness == null ? "accuracy" : fitness.metric().configName();
    }

    /**
     * The fitness a regression run searched with, from its config.properties ({@code fitness.metric=auto} is R² there,
     * as RunConfig resolves it); null where the file does not say (a hand-written or damaged one).
     */
    private static Fitness regressionFitness(Map<String, String> config) {
        try {
            String metric = config.getOrDefault(FITNESS_METRIC.name(), FITNESS_METRIC.defaultValue()).trim();
            return new Fitness(metric.equals("auto") ? Metric.R2 : Metric.parse(FITNESS_METRIC.name(), metric),
                    Double.parseDouble(config.getOrDefault(FITNESS_TARGET.name(), FITNESS_TARGET.defaultValue())),
                    Double.parseDouble(config.getOrDefault(FITNESS_PENALTY.name(), FITNESS_PENALTY.defaultValue())));
        } catch (IllegalArgumentException e) { // NumberFormatException too
            return null;
        }
    }

    /**
     * Generation statistics for the charts and the table; fitness values that include a failed evaluation become
     * gaps. Without an accuracy (regression), {@code bestMetric} is the best mask's validation metric, read back
     * from its fitness ({@link Fitness#score}, then unsigned by {@link Metric#signed}).
     */
    private static ArrayNode generations(List<JsonNode> lines, Map<String, String> config) {
        Fitness fitness = regressionFitness(config);
        ArrayNode out = NODES.arrayNode();
        for (JsonNode g : lines) {
            ObjectNode o = out.addObject();
            o.put("generation", g.path("generation").asInt());
            for (String field : new String[] {"bestFitness", "meanFitness", "worstFitness", "bestAccuracy",
                    "bestKeptFraction", "bestSizeFraction"}) {
                double v = g.path(field).asDouble(Double.NaN);
                if (Double.isFinite(v) && v > OFF_SCALE) {
                    o.put(field, v);
                } else {
                    o.putNull(field);
                }
            }
            double size = o.path(o.path("bestSizeFraction").isNumber() ? "bestSizeFraction" : "bestKeptFraction")
                    .asDouble(Double.NaN); // files written before the size fraction was recorded measured units
            double derived = fitness == null ? Double.NaN
                    : fitness.metric().signed(fitness.score(o.path("bestFitness").asDouble(Double.NaN), size));
            if (!o.path("bestAccuracy").isNumber() && Double.isFinite(derived)) {
                o.put("bestMetric", derived);
            } else {
                o.putNull("bestMetric");
            }
            o.put("evaluations", g.path("evaluations").asInt());
            o.put("cacheHits", g.path("cacheHits").asInt());
            o.put("failed", g.path("failed").asInt());
            o.put("seconds", g.path("seconds").asDouble());
        }
        return out;
    }

    /** The Search charts' numbers, collapsed: every value the three charts draw. */
    private static void generationsTable(StringBuilder b, ArrayNode generations, String metric) {
        boolean sized = false;
        for (JsonNode g : generations) {
            sized |= g.path("bestSizeFraction").isNumber() && g.path("bestKeptFraction").isNumber()
                    && g.path("bestSizeFraction").asDouble() != g.path("bestKeptFraction").asDouble();
        }
        String best = metric.equals("accuracy") ? "bestAccuracy" : "bestMetric";
        b.append("<details>\n<summary>Per generation, as a table</summary>\n<table class=\"numbers\">\n<thead><tr>"
                + "<th>generation</th><th>best fitness</th><th>mean fitness</th><th>worst fitness</th><th>best: "
                + "validation ").append(escape(metric)).append("</th><th>best: kept fraction</th>")
                .append(sized ? "<th>best: kept size</th>" : "")
                .append("<th>evaluated</th><th>failed</th><th>cache hits</th></tr></thead>\n<tbody>\n");
        for (JsonNode g : generations) {
            List<String> cells = new ArrayList<>(List.of(g.path("generation").asText(), maybe(g, "bestFitness"),
                    maybe(g, "meanFitness"), maybe(g, "worstFitness"), maybe(g, best), maybe(g, "bestKeptFraction")));
            if (sized) {
                cells.add(maybe(g, "bestSizeFraction"));
            }
            cells.add(Integer.toString(g.path("evaluations").asInt() - g.path("failed").asInt()));
            cells.add(g.path("failed").asText());
            cells.add(g.path("cacheHits").asText());
            row(b, cells.toArray(String[]::new));
        }
        b.append("</tbody>\n</table>\n</details>\n");
    }

    /** A number, or "failed" where the value includes a failed evaluation (null in the chart data). */
    private static String maybe(JsonNode g, String field) {
        return g.path(field).isNumber() ? number(g.path(field).asDouble()) : "failed";
    }

    /** The chart's numbers: units and kept per layer. */
    private static void layersTable(StringBuilder b, JsonNode mask) {
        b.append("<table class=\"numbers\">\n<thead><tr><th>layer</th><th>units</th><th>kept</th><th>kept fraction"
                + "</th></tr></thead>\n<tbody>\n");
        for (JsonNode l : mask.path("layers")) {
            int units = l.path("units").asInt();
            row(b, l.path("name").asText(), Integer.toString(units), l.path("kept").asText(),
                    units > 0 ? percent(l.path("kept").asDouble() / units) : "");
        }
        b.append("</tbody>\n</table>\n");
    }

    private static void metricsTable(StringBuilder b, JsonNode summary) {
        JsonNode base = summary.path("base");
        JsonNode pruned = summary.path("pruned");
        b.append("<table class=\"numbers\">\n<thead><tr><th></th><th>base</th><th>pruned</th><th>change</th></tr>"
                + "</thead>\n<tbody>\n");
        long baseParams = base.path("parameters").asLong();
        long prunedParams = pruned.path("parameters").asLong();
        row(b, "parameters", String.format(Locale.ROOT, "%,d", baseParams),
                String.format(Locale.ROOT, "%,d", prunedParams),
                baseParams > 0 ? percent((double) prunedParams / baseParams) + " of base" : "");
        for (String split : new String[] {"validation", "test"}) {
            for (String metric : METRICS) {
                JsonNode bv = base.path(split).path(metric);
                JsonNode pv = pruned.path(split).path(metric);
                if (bv.isNumber() && pv.isNumber()) {
                    row(b, split + " " + metric, number(bv.asDouble()), number(pv.asDouble()),
                            String.format(Locale.ROOT, "%+.4f", pv.asDouble() - bv.asDouble()));
                }
            }
        }
        b.append("</tbody>\n</table>\n");
    }

    /**
     * The model the run delivers against the base and the dense control (summary.json {@code exported}), when the
     * run has one: the control is what tells a gain from pruning from a gain from the extra training.
     */
    private static void exported(StringBuilder b, JsonNode exported, JsonNode base) {
        if (!exported.isObject()) {
            return;
        }
        String file = exported.path("file").asText("the exported model");
        heading(b, "exported", "Exported model", file + ", the model the run delivers, on the held-out test split:"
                + " against the base, and against the dense control, the base given the same fine-tuning and recovery"
                + " (the same batches, the same seed). A gain over the base that the control has too is the extra"
                + " training's, not pruning's.");
        JsonNode network = exported.path("network");
        JsonNode control = exported.path("control");
        b.append("<table class=\"numbers\">\n<thead><tr><th></th><th>base</th><th>dense control</th><th>")
                .append(escape(file)).append("</th></tr></thead>\n<tbody>\n");
        row(b, "parameters", String.format(Locale.ROOT, "%,d", base.path("parameters").asLong()),
                String.format(Locale.ROOT, "%,d", control.path("parameters").asLong()),
                String.format(Locale.ROOT, "%,d", network.path("parameters").asLong()));
        for (String metric : METRICS) {
            JsonNode bv = base.path("test").path(metric);
            JsonNode cv = control.path("test").path(metric);
            JsonNode ev = network.path("test").path(metric);
            if (bv.isNumber() && cv.isNumber() && ev.isNumber()) {
                row(b, "test " + metric, number(bv.asDouble()), number(cv.asDouble()), number(ev.asDouble()));
            }
        }
        b.append("</tbody>\n</table>\n");
        comparison(b, file + " against the base", exported.path("againstBase"), "base");
        comparison(b, file + " against the dense control", exported.path("againstControl"), "control");
        b.append("</section>\n");
    }

    /** The paired test of two networks on the test split (PairedComparison), when the run has one. */
    private static void comparison(StringBuilder b, String label, JsonNode node, String other) {
        if (!node.isObject()) {
            return;
        }
        try {
            PairedComparison c = JSON.treeToValue(node, PairedComparison.class);
            b.append("<p class=\"comparison\"><strong>").append(escape(label)).append(", example by example on the test"
                    + " split:</strong> ").append(escape(c.describe(other))).append(".</p>\n");
        } catch (JsonProcessingException | IllegalArgumentException e) {
            b.append("<p class=\"notes\">").append(escape(label)).append(": unreadable (").append(escape(e.getMessage()))
                    .append(")</p>\n");
        }
    }

    /** The pareto.json field of the size NSGA-II minimised, and its name in words. */
    private static String[] paretoSize(Map<String, String> config) {
        String objective = config.getOrDefault(StrategyKeys.NSGA2_SIZE.name(), StrategyKeys.NSGA2_SIZE.defaultValue());
        boolean flops;
        try { // read as the run read it (any case), so that the chart is the front's
            flops = Checks.choice(StrategyConfig.SizeObjective.class,
                    StrategyKeys.NSGA2_SIZE.name(), objective.trim()) == StrategyConfig.SizeObjective.FLOPS;
        } catch (IllegalArgumentException e) { // an edited config.properties: the default
            flops = false;
        }
        return flops ? new String[] {"flops", "FLOPs"} : new String[] {"parametersKept", "parameters"};
    }

    /** Points that can be drawn: an accuracy and at least one size measure. */
    private static List<JsonNode> paretoPoints(List<JsonNode> points) {
        List<JsonNode> usable = new ArrayList<>();
        for (JsonNode p : points) {
            if (p.path("accuracy").isNumber() && (p.path("keptFraction").isNumber()
                    || p.path("parametersKept").isNumber() || p.path("flops").isNumber())) {
                usable.add(p);
            }
        }
        return usable;
    }

    private static void paretoTable(StringBuilder b, List<JsonNode> front) {
        b.append("<table class=\"numbers\">\n<thead><tr><th></th><th>accuracy</th><th>kept fraction</th>"
                + "<th>parameters</th><th>FLOPs</th></tr></thead>\n<tbody>\n");
        for (JsonNode p : front) {
            boolean chosen = p.path("chosen").asBoolean(false);
            b.append(chosen ? "<tr class=\"chosen\">" : "<tr>").append("<td>").append(chosen ? "chosen" : "")
                    .append("</td><td>").append(number(p.path("accuracy").asDouble())).append("</td><td>")
                    .append(p.path("keptFraction").isNumber() ? percent(p.path("keptFraction").asDouble()) : "")
                    .append("</td><td>").append(p.path("parametersKept").isNumber()
                            ? String.format(Locale.ROOT, "%,d", p.path("parametersKept").asLong()) : "")
                    .append("</td><td>").append(p.path("flops").isNumber() ? scaled(p.path("flops").asDouble(), "") : "")
                    .append("</td></tr>\n");
        }
        b.append("</tbody>\n</table>\n");
    }

    private static void baselinesTable(StringBuilder b, List<JsonNode> rows) {
        b.append("<table class=\"numbers\">\n<thead><tr><th>method</th><th>kept fraction</th><th>kept units</th>"
                + "<th>parameters</th><th>FLOPs</th><th>validation accuracy</th><th>test accuracy</th>"
                + "<th>test vs search (McNemar p)</th><th>seconds</th></tr></thead>\n<tbody>\n");
        for (JsonNode r : rows) {
            b.append("<tr><th>").append(escape(r.path("method").asText())).append("</th><td>")
                    .append(percent(r.path("keptFraction").asDouble())).append("</td><td>")
                    .append(r.path("keptUnits").asLong()).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%,d", r.path("parametersKept").asLong())).append("</td><td>")
                    .append(scaled(r.path("flops").asDouble(), "")).append("</td><td>")
                    .append(number(r.path("validationAccuracy").asDouble())).append("</td><td>")
                    .append(number(r.path("testAccuracy").asDouble())).append("</td><td>")
                    .append(againstSearch(r.path("testAgainstSearch"))).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.1f", r.path("seconds").asDouble())).append("</td></tr>\n");
        }
        b.append("</tbody>\n</table>\n");
    }

    /** A pruner's test accuracy against the search's, and McNemar's p-value; empty for the search's own row. */
    private static String againstSearch(JsonNode c) {
        return c.isObject() ? escape(String.format(Locale.ROOT, "%+.4f (p %.2g)", c.path("difference").asDouble(),
                c.path("pValue").asDouble(Double.NaN))) : "";
    }

    /**
     * One row of the rebuilt-network table, base against rebuilt; NaN where rebuild.json lacks the value.
     * {@code score} rows (accuracy, MSE) compare by difference, the others by base/rebuilt as the console does.
     */
    private record RebuildRow(String field, String label, String format, double base, double rebuilt,
                              boolean score) {
        String change() {
            if (Double.isNaN(base) || Double.isNaN(rebuilt)) {
                return "";
            }
            return score ? String.format(Locale.ROOT, "%+.4f", rebuilt - base)
                    : rebuilt == 0 ? "" : String.format(Locale.ROOT, "%.2fx", base / rebuilt);
        }
    }

    /**
     * The rows of rebuild.json worth reading, in RebuildStep's console order and labels, then the recovered
     * network's scores. Fields a file lacks leave their row out; fields the report does not know are ignored.
     * The base's validation score comes from summary.json (null without one), on the same validation split.
     */
    private static List<RebuildRow> rebuildRows(JsonNode rebuild, JsonNode summary) {
        List<RebuildRow> rows = new ArrayList<>();
        if (rebuild == null) {
            return rows;
        }
        JsonNode base = rebuild.path("base");
        JsonNode rebuilt = rebuild.path("rebuilt");
        String n = base.path("batch").isNumber() ? Integer.toString(base.path("batch").asInt()) : "N";
        String count = "%,.0f";
        String ms = "%.3f";
        String[][] footprint = {
                {"parameters", "parameters", count},
                {"multiplyAdds", "multiply-adds per example", count},
                {"fileBytes", "model file bytes (no updater state)", count},
                {"latencyBatch1Ms", "latency batch 1 (ms)", ms},
                {"latencyBatch1MinMs", "latency batch 1, fastest run (ms)", ms},
                {"latencyBatchNMs", "latency batch " + n + " (ms)", ms},
                {"latencyBatchNMinMs", "latency batch " + n + ", fastest run (ms)", ms},
                {"peakInferenceBytes", "peak inference bytes", count}};
        for (String[] f : footprint) {
            addRow(rows, f[0], f[1], f[2], base.path(f[0]), rebuilt.path(f[0]), false);
        }
        // rebuild.json holds the base's test score only in the paired comparison, and no base validation score.
        JsonNode recovery = rebuild.path("recovery");
        JsonNode paired = recovery.path("testAgainstBase");
        String metric = paired.path("metric")
                .asText(recovery.path("testAfter").path("regression").asBoolean() ? "mse" : "accuracy");
        String name = metric.equals("mse") ? "MSE" : metric;
        addRow(rows, metric, "test " + name + " (recovered)", "%.4f", paired.path("base"),
                recovery.path("testAfter").path(metric), true);
        JsonNode baseValidation = summary == null ? MissingNode.getInstance()
                : summary.path("base").path("validation").path(metric);
        addRow(rows, metric, "validation " + name + " (recovered)", "%.4f", baseValidation,
                recovery.path("validationAfter").path(metric), true);
        return rows;
    }

    private static void addRow(List<RebuildRow> rows, String field, String label, String format, JsonNode base,
                               JsonNode rebuilt, boolean score) {
        if (base.isNumber() || rebuilt.isNumber()) {
            rows.add(new RebuildRow(field, label, format, base.isNumber() ? base.asDouble() : Double.NaN,
                    rebuilt.isNumber() ? rebuilt.asDouble() : Double.NaN, score));
        }
    }

    private static void rebuildTable(StringBuilder b, JsonNode rebuild, List<RebuildRow> rows) {
        b.append("<table class=\"numbers\">\n<thead><tr><th>measure</th><th>base</th><th>rebuilt</th>"
                + "<th>base/rebuilt</th></tr></thead>\n<tbody>\n");
        for (RebuildRow r : rows) {
            row(b, r.label, cell(r.format, r.base), cell(r.format, r.rebuilt), r.change());
        }
        b.append("</tbody>\n</table>\n");
        List<String> notes = rebuildNotes(rebuild, rows.stream().anyMatch(RebuildRow::score));
        if (!notes.isEmpty()) {
            b.append("<p class=\"notes\">").append(escape(String.join(" · ", notes))).append("</p>\n");
        }
    }

    private static String cell(String format, double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, format, v);
    }

    /** How the numbers were taken (the same for both networks), and what else rebuild.json says, when it does. */
    private static List<String> rebuildNotes(JsonNode rebuild, boolean scores) {
        List<String> notes = new ArrayList<>();
        JsonNode base = rebuild.path("base");
        if (base.path("repeats").isNumber()) {
            notes.add("latency: median of " + base.path("repeats").asInt() + " timed runs after warm-up");
        }
        if (base.path("batch").isNumber()) {
            notes.add("batch size " + base.path("batch").asInt() + " (also for peak memory)");
        }
        JsonNode machine = rebuild.path("machine");
        if (machine.path("cpu").isTextual()) {
            notes.add("measured on " + machine.path("cpu").asText() + (machine.path("nd4jThreads").isNumber()
                    ? ", " + machine.path("nd4jThreads").asInt() + " ND4J thread(s)" : ""));
        }
        if (scores) {
            JsonNode settings = rebuild.path("recovery").path("settings");
            String how = settings.path("epochs").isNumber() ? " (" + settings.path("epochs").asInt() + " epoch(s), lr "
                    + settings.path("learningRate").asDouble() + ")" : "";
            notes.add("scores after recovery" + how + ", their last column rebuilt - base");
        }
        JsonNode difference = rebuild.path("equivalenceMaxAbsDifference");
        if (difference.isNumber()) { // "NaN" when nothing was rebuilt
            double d = difference.asDouble();
            notes.add("max |rebuilt - masked| on the test set " + (d == 0 ? "0" : String.format(Locale.ROOT, "%.3g", d))
                    + (rebuild.path("equivalenceScale").isNumber() // absent before the bound was relative
                    ? "; " + Equivalence.describeBound(rebuild.path("equivalenceScale").asDouble())
                    : rebuild.path("equivalenceBound").isNumber() ? String.format(Locale.ROOT, " (bound %.0e)",
                    rebuild.path("equivalenceBound").asDouble()) : ""));
        }
        if (rebuild.path("note").isTextual()) { // why a 'weight' mask was not rebuilt
            notes.add(rebuild.path("note").asText());
        }
        JsonNode zeros = rebuild.path("sparsity").path("fraction");
        if (zeros.isNumber()) {
            notes.add("zero weights in the masked layers: " + percent(zeros.asDouble()));
        }
        return notes;
    }

    private static void configuration(StringBuilder b, Map<String, String> config) {
        if (config.isEmpty()) {
            return;
        }
        b.append("<section id=\"configuration\">\n<details>\n<summary>Effective configuration (")
                .append(config.size()).append(" keys)</summary>\n<table class=\"config\">\n<tbody>\n");
        new TreeMap<>(config).forEach((k, v) -> b.append("<tr><td><code>").append(escape(k))
                .append("</code></td><td><code>").append(escape(v)).append("</code></td></tr>\n"));
        b.append("</tbody>\n</table>\n</details>\n</section>\n");
    }

    private static void row(StringBuilder b, String... cells) {
        b.append("<tr><th>").append(escape(cells[0])).append("</th>");
        for (int i = 1; i < cells.length; i++) {
            b.append("<td>").append(escape(cells[i])).append("</td>");
        }
        b.append("</tr>\n");
    }

    private static String scaled(double v, String unit) {
        String[] prefixes = {"", "k", "M", "G", "T"};
        int i = 0;
        while (Math.abs(v) >= 1000 && i < prefixes.length - 1) {
            v /= 1000;
            i++;
        }
        return String.format(Locale.ROOT, "%.2f %s%s", v, prefixes[i], unit).trim();
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String percent(double fraction) {
        return Percent.of(fraction);
    }

    private static String text(JsonNode node, String field, String otherwise) {
        return node.path(field).isTextual() ? node.path(field).asText() : otherwise;
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** Nothing inside a script element may close it. */
    private static String scriptSafe(String js) {
        return js.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT");
    }

    private static String json(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("Resource " + name + " is missing from the application jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Chart.js from its WebJar on the class path (org.webjars.npm:chart.js). */
    static final class ChartJs {
        static final String VERSION = version();

        private ChartJs() {
        }

        static String source() {
            return resource("/META-INF/resources/webjars/chart.js/" + VERSION + "/dist/chart.umd.js");
        }

        private static String version() {
            try (InputStream in = HtmlReport.class.getResourceAsStream(
                    "/META-INF/maven/org.webjars.npm/chart.js/pom.properties")) {
                if (in == null) {
                    throw new IllegalStateException("Chart.js (org.webjars.npm:chart.js) is missing from the class path");
                }
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
