package io.evoprune.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.evoprune.report.RunDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What a finished run directory says about its search, without timings: the best mask's bits and the
 * per-generation fitness figures and counts. Two runs of the same configuration must agree on all of it,
 * wherever and however often their evaluations ran.
 */
record RunOutputs(String bestBits, double bestFitness, int evaluations, List<String> generations) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static RunOutputs read(Path run) throws IOException {
        if (!Files.exists(run.resolve(RunDirectory.SUCCESS))) {
            throw new AssertionError("Run " + run + " is not complete (no " + RunDirectory.SUCCESS + ")");
        }
        JsonNode mask = JSON.readTree(run.resolve("best-mask.json").toFile());
        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
        List<String> generations = Files.readAllLines(run.resolve(RunDirectory.GENERATIONS)).stream()
                .filter(line -> !line.isBlank())
                .map(RunOutputs::withoutTimings)
                .collect(Collectors.toList());
        return new RunOutputs(mask.get("bits").asText(), summary.path("search").path("bestFitness").asDouble(),
                summary.path("search").path("evaluations").asInt(), generations);
    }

    private static String withoutTimings(String line) {
        try {
            ObjectNode stats = (ObjectNode) JSON.readTree(line);
            stats.remove("seconds");
            stats.remove("evaluationsPerSecond");
            return stats.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
