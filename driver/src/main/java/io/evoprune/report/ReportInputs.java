package io.evoprune.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.evoprune.data.DataFiles;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What a report is made from: the files of one run directory, read as JSON trees so that a field added by a
 * later version (or another writer, such as the Pareto search or the rebuild) never breaks the report.
 * generations.jsonl is required; every other file adds its section when present.
 *
 * @param pareto  the points of pareto.json (a bare array, or an object holding "points")
 * @param rebuild rebuild.json as written
 * @param config  config.properties, the run's effective configuration
 * @param baselines the rows of baselines.json (the search against the classic pruners), empty without one
 */
public record ReportInputs(String runName, List<JsonNode> generations, JsonNode summary, JsonNode bestMask,
                           List<JsonNode> pareto, JsonNode rebuild, Map<String, String> config,
                           List<JsonNode> baselines) {
    public static final String SUMMARY = "summary.json";
    public static final String BEST_MASK = "best-mask.json";
    public static final String PARETO = "pareto.json";
    public static final String REBUILD = "rebuild.json";
    public static final String CONFIG = RunDirectory.CONFIGURATION;
    public static final String BASELINES = "baselines.json";

    private static final ObjectMapper JSON = RunJson.mapper();

    public ReportInputs {
        generations = List.copyOf(generations);
        pareto = List.copyOf(pareto);
        config = Map.copyOf(config);
        baselines = List.copyOf(baselines);
    }

    /** Reads a run directory on any Hadoop file system. */
    public static ReportInputs read(Path dir, Configuration hadoop) throws IOException {
        FileSystem fs;
        try {
            fs = DataFiles.withoutChecksums(DataFiles.fileSystem(dir, hadoop));
        } catch (IOException | IllegalArgumentException e) { // no connector; an unknown host in an hdfs:// location
            throw new UnreadableRunFileException("Run directory " + dir + " cannot be reached: " + e.getMessage(), e);
        }
        if (!fs.exists(dir)) { // most likely a mistyped path: say so, rather than that it is no run
            throw new FileNotFoundException("Run directory " + dir + " does not exist");
        }
        Path generationsFile = new Path(dir, RunDirectory.GENERATIONS);
        if (!fs.exists(generationsFile)) {
            // A folder of evoprune baseline or apply has no search to report: its table or summary is the output.
            String other = fs.exists(new Path(dir, "baselines.md")) ? "; it holds evoprune baseline's table"
                    + " (baselines.md), which has no report" : fs.exists(new Path(dir, "rebuild-summary.txt"))
                    && fs.exists(new Path(dir, "mask.json")) ? "; it holds evoprune apply's output (rebuild-summary.txt,"
                    + " rebuild.json), which has no report" : "";
            throw new FileNotFoundException("No " + RunDirectory.GENERATIONS + " in " + dir
                    + ": not an evoprune run directory, or the run stopped before its first generation" + other);
        }
        List<JsonNode> generations = new ArrayList<>();
        String[] lines = text(fs, generationsFile).split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].isBlank()) {
                generations.add(parse(lines[i], generationsFile + " line " + (i + 1)));
            }
        }
        JsonNode pareto = optional(fs, new Path(dir, PARETO));
        List<JsonNode> points = new ArrayList<>();
        if (pareto != null) {
            JsonNode list = pareto.isArray() ? pareto : pareto.path("points");
            if (!list.isArray()) {
                throw new UnreadableRunFileException(new Path(dir, PARETO) + " holds neither a list of points nor an"
                        + " object with a \"points\" list (see docs/report.md)");
            }
            list.forEach(points::add);
        }
        JsonNode baselineRows = optional(fs, new Path(dir, BASELINES));
        List<JsonNode> baselines = new ArrayList<>();
        if (baselineRows != null) {
            if (!baselineRows.isArray()) {
                throw new UnreadableRunFileException(new Path(dir, BASELINES)
                        + " is not a list of rows (see docs/search.md)");
            }
            baselineRows.forEach(baselines::add);
        }
        String name = new Path(dir.toUri().getPath().replaceAll("/+$", "")).getName(); // "run-1/" names run-1
        return new ReportInputs(name, generations, optional(fs, new Path(dir, SUMMARY)),
                optional(fs, new Path(dir, BEST_MASK)), points, optional(fs, new Path(dir, REBUILD)),
                properties(fs, new Path(dir, CONFIG)), baselines);
    }

    private static JsonNode optional(FileSystem fs, Path file) throws IOException {
        return fs.exists(file) ? parse(text(fs, file), file.toString()) : null;
    }

    private static JsonNode parse(String json, String where) throws IOException {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UnreadableRunFileException("Cannot read " + where + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static Map<String, String> properties(FileSystem fs, Path file) throws IOException {
        Map<String, String> config = new LinkedHashMap<>();
        if (fs.exists(file)) {
            Properties props = new Properties();
            try {
                props.load(new StringReader(text(fs, file)));
            } catch (IllegalArgumentException e) { // a hand-edited Windows path: a backslash and u start a bad escape
                throw new UnreadableRunFileException("Cannot read " + file + " as Java properties: " + e.getMessage()
                        + " (write a backslash as \\\\)", e);
            }
            props.stringPropertyNames().forEach(k -> config.put(k, props.getProperty(k)));
        }
        return config;
    }

    private static String text(FileSystem fs, Path file) throws IOException {
        try (InputStream in = fs.open(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
