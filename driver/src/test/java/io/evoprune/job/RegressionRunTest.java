package io.evoprune.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.evoprune.config.RunConfig;
import io.evoprune.config.Settings;
import io.evoprune.report.RunDirectory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.dataset.api.preprocessor.serializer.NormalizerSerializer;

/** A whole regression search on Spark local[2] from CSV files with a header, standardised features and MSE fitness. */
@Tag("integration")
class RegressionRunTest {
    @TempDir
    Path dir;

    @Test
    void csvRegressionRunReportsMseAndMaeAndSavesTheNormaliser() throws Exception {
        Path train = csv(dir.resolve("train.csv"), 400, 1);
        Path test = csv(dir.resolve("test.csv"), 100, 2);
        Map<String, String> set = Map.ofEntries(
                Map.entry("data.format", "csv"), Map.entry("data.path", train.toString()),
                Map.entry("data.test-path", test.toString()), Map.entry("data.task", "regression"),
                Map.entry("data.csv.skip-lines", "1"), Map.entry("data.csv.label-column", "0"),
                Map.entry("data.normalize", "standardize"), Map.entry("data.validation.size", "100"),
                Map.entry("model.pretrain.epochs", "4"), Map.entry("model.pretrain.batch-size", "32"),
                Map.entry("search.population", "4"), Map.entry("search.generations", "1"),
                Map.entry("finetune.max-batches", "4"), Map.entry("finetune.batch-size", "32"),
                Map.entry("output.dir", dir.resolve("runs").toString()), Map.entry("output.run-name", "regression"));
        RunConfig config = RunConfig.from(Settings.defaults().with(set, "test"));
        SparkConf spark = TinyRuns.localSpark(dir.resolve("spark"));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        new PruningJob(config, new PrintStream(console, true)).run(spark);

        Path run = dir.resolve("runs/regression");
        assertTrue(Files.exists(run.resolve(RunDirectory.SUCCESS)), console.toString());
        JsonNode summary = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        for (String network : new String[] {"base", "pruned"}) {
            for (String part : new String[] {"validation", "test"}) {
                JsonNode m = summary.path(network).path(part);
                assertTrue(m.path("mse").isNumber() && m.path("mae").isNumber() && m.path("r2").isNumber()
                        && m.path("loss").isNumber(), m.toString());
                assertTrue(m.path("accuracy").isMissingNode(), "class metrics do not apply to regression: " + m);
            }
        }
        // The targets are a smooth function of the features; the pretrained base must beat predicting the mean
        // (whose MSE is the targets' variance, about 4.5 here).
        for (String line : Files.readAllLines(run.resolve(RunDirectory.GENERATIONS))) {
            JsonNode g = new ObjectMapper().readTree(line);
            assertTrue(g.path("bestAccuracy").isNull() && g.path("bestFitness").isNumber(),
                    "no accuracy, written as JSON null: " + line);
        }
        double baseMse = summary.path("base").path("test").path("mse").asDouble();
        assertTrue(baseMse < 2.0, "base test MSE " + baseMse);
        JsonNode paired = summary.path("testComparison");
        assertEquals("paired t", paired.path("test").asText(), summary.toString());
        assertEquals(baseMse, paired.path("base").asDouble(), 1e-5, "the paired test's MSE is the reported one");
        assertEquals(summary.path("pruned").path("test").path("mse").asDouble(), paired.path("pruned").asDouble(), 1e-5);
        double kept = summary.path("search").path("keptFraction").asDouble();
        double penalty = config.fitness().penalty();
        assertEquals(summary.path("pruned").path("validation").path("r2").asDouble() - penalty * Math.max(0, kept - 0.5),
                summary.path("search").path("bestFitness").asDouble(), 1e-6,
                "fitness (auto for regression) is the validation R² less the size penalty");
        assertTrue(summary.path("base").path("test").path("r2").asDouble() > 0.5, "the base explains most variance");

        NormalizerStandardize normalizer = NormalizerSerializer.getDefault().restore(run.resolve("normalizer.bin").toFile());
        assertEquals(4, normalizer.getMean().length());
        assertTrue(normalizer.getMean().getDouble(0) > 1.5, "fitted on the raw training features (mean of x0 ~ 2)");
    }

    /** y = x0 - 2 x1 + x2 x3 + noise; x0 ~ U(1, 3), others ~ U(-1, 1); the label column comes first. */
    private static Path csv(Path file, int rows, long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder("y,x0,x1,x2,x3\n");
        for (int i = 0; i < rows; i++) {
            double x0 = 1 + 2 * random.nextDouble();
            double x1 = random.nextDouble(-1, 1);
            double x2 = random.nextDouble(-1, 1);
            double x3 = random.nextDouble(-1, 1);
            double y = x0 - 2 * x1 + x2 * x3 + 0.05 * random.nextDouble(-1, 1);
            sb.append(String.format(Locale.ROOT, "%.5f,%.5f,%.5f,%.5f,%.5f%n", y, x0, x1, x2, x3));
        }
        return Files.writeString(file, sb.toString());
    }
}
