package io.evoprune.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.evoprune.cli.Main;
import io.evoprune.config.RunConfig;
import io.evoprune.config.Settings;
import io.evoprune.data.Normalization;
import io.evoprune.model.ModelFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.preprocessor.ImagePreProcessingScaler;

/**
 * A model file's bundled normaliser (ModelSerializer.addNormalizerToModel) is the one its weights were trained with:
 * runs, {@code evaluate} and {@code apply} transform the data with it, and every model a run writes bundles its own.
 */
@Tag("integration")
class BundledNormaliserTest {
    private static final Configuration HADOOP = new Configuration();
    private static final String DATA = TinyRuns.ROOT.resolve("data/fashion-mnist-small").toString();

    @Test
    void aRunTakesTheModelsNormaliserAndRefusesToFitAnother() throws Exception {
        Path out = TinyRuns.newFolder("bundled");
        Map<String, String> standardize = TinyRuns.settings(out, "s", "data.normalize", "standardize");
        byte[] fitted = inputs(standardize, System.out, null).normalizer();
        Path model = out.resolve("with-normaliser.zip");
        Files.write(model, ModelFiles.zip(ModelFiles.load(TinyRuns.baseModel().toString(), HADOOP), fitted));

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        RunInputs none = inputs(TinyRuns.settings(out, "n"), new PrintStream(printed, true, StandardCharsets.UTF_8),
                model.toString());
        assertArrayEquals(fitted, none.normalizer(), "data.normalize=none: the bundled normaliser");
        assertTrue(printed.toString(StandardCharsets.UTF_8)
                .contains("features are normalised with the normaliser bundled in " + model), printed.toString());
        assertArrayEquals(fitted, inputs(standardize, System.out, model.toString()).normalizer(),
                "the same data.normalize on the same data fits the same one: accepted");

        BadInputException other = assertThrows(BadInputException.class, () -> inputs(TinyRuns.settings(out, "m",
                "data.normalize", "minmax"), System.out, model.toString()));
        assertTrue(other.getMessage().contains(model.toString()) && other.getMessage().contains("data.normalize=minmax")
                && other.getMessage().contains("set data.normalize=none to use the bundled one"), other.getMessage());
        BadInputException otherData = assertThrows(BadInputException.class, () -> inputs(TinyRuns.settings(out, "v",
                "data.normalize", "standardize", "data.validation.size", "300"), System.out, model.toString()));
        assertTrue(otherData.getMessage().contains("fits a different one"), otherData.getMessage());
        assertFalse(Files.exists(out.resolve("m")) || Files.exists(out.resolve("v")), "refused before a run directory");
    }

    @Test
    void normalisingTheFeaturesOfAModelWithoutANormaliserIsQuestioned() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        inputs(TinyRuns.settings(TinyRuns.newFolder("questioned"), "q", "data.normalize", "minmax"),
                new PrintStream(printed, true, StandardCharsets.UTF_8), TinyRuns.baseModel().toString());
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("evoprune: warning: data.normalize=minmax transforms"
                + " the features " + TinyRuns.baseModel() + " reads, and it bundles no normaliser"), printed.toString());
    }

    @Test
    void anImageScalerGetsPixelsAsTheImageFilesHoldThem() throws Exception {
        // DL4J's image pipeline: ImageRecordReader's 0..255 pixels through ImagePreProcessingScaler(0, 1). evoprune
        // reads IDX pixels into [0, 1] already; the bundled scaler must not divide them by 255 again.
        Path out = TinyRuns.newFolder("image-scaler");
        Path model = out.resolve("with-image-scaler.zip");
        Files.write(model, ModelFiles.zip(ModelFiles.load(TinyRuns.baseModel().toString(), HADOOP),
                Normalization.bytes(new ImagePreProcessingScaler(0, 1))));
        RunInputs scaled = inputs(TinyRuns.settings(out, "i"), System.out, model.toString());
        RunInputs plain = inputs(TinyRuns.settings(out, "p"), System.out, TinyRuns.baseModel().toString());
        INDArray seen = Normalization.apply(scaled.normalizer(), scaled.splits().validation().toDataSet()).getFeatures();
        assertTrue(seen.equalsWithEps(plain.splits().validation().toDataSet().getFeatures(), 1e-6),
                "the network sees the [0, 1] pixels it was trained on");
        String a = evaluate("--model", model.toString());
        String b = evaluate("--model", TinyRuns.baseModel().toString());
        assertEquals(b.substring(b.indexOf("  accuracy")), a.substring(a.indexOf("  accuracy")), "evaluate: the same scores");
    }

    @Test
    void everyModelOfANormalisedRunBundlesItAndEvaluateReproducesTheRunsScores() throws Exception {
        Path out = TinyRuns.newFolder("bundled-run");
        TinyRuns.Outcome run = TinyRuns.execute(TinyRuns.args(TinyRuns.settings(out, "run", "data.normalize",
                "standardize", "search.generations", "1", "rebuild.measure.repeats", "1", "rebuild.measure.warmup", "0"),
                "run"));
        assertEquals(Main.OK, run.exitCode(), run.err());
        Path dir = out.resolve("run");
        byte[] normalizer = Files.readAllBytes(dir.resolve(PruningJob.NORMALIZER_FILE));
        for (String file : new String[] {"base-model.zip", "pruned-model.zip", "rebuilt-model.zip"}) {
            assertArrayEquals(normalizer, ModelFiles.read(dir.resolve(file).toString(), "test", HADOOP).normalizer(), file);
        }

        // evaluate on the run's test examples: the run's own numbers, because it applies the bundled normaliser
        JsonNode summary = TinyRuns.json(dir.resolve("summary.json"));
        String base = evaluate("--model", dir.resolve("base-model.zip").toString());
        assertTrue(base.contains("evoprune: features are normalised with the normaliser bundled in "), base);
        assertTrue(base.contains(accuracy(summary.get("base").get("test").get("accuracy").asDouble())), base);
        JsonNode recovered = TinyRuns.json(dir.resolve("rebuild.json")).get("recovery").get("testAfter");
        String rebuilt = evaluate("--model", dir.resolve("rebuilt-model.zip").toString(),
                "--base", dir.resolve("base-model.zip").toString());
        assertTrue(rebuilt.contains(accuracy(recovered.get("accuracy").asDouble())), rebuilt);
        String pruned = evaluate("--model", dir.resolve("pruned-model.zip").toString());
        long kept = summary.get("pruned").get("parameters").asLong();
        long all = summary.get("base").get("parameters").asLong();
        assertTrue(pruned.contains(String.format(Locale.ROOT, "parameters                 %,d (%,d zero)", all, all - kept)),
                "the masked network's zeros: " + pruned);

        // apply carries the base's normaliser into its rebuilt model
        Path applied = out.resolve("applied");
        TinyRuns.Outcome apply = TinyRuns.execute("apply", "--model", dir.resolve("base-model.zip").toString(),
                "--mask", dir.resolve("best-mask.json").toString(), "--out", applied.toString());
        assertEquals(Main.OK, apply.exitCode(), apply.err());
        assertArrayEquals(normalizer, ModelFiles.read(applied.resolve("rebuilt-model.zip").toString(), "test", HADOOP).normalizer());

        // apply on the run's pruned model, with the run's data keys and seed: the run's rebuilt network, recovery included
        Path again = out.resolve("applied-pruned");
        TinyRuns.Outcome rebuild = TinyRuns.execute("apply", "--model", dir.resolve("pruned-model.zip").toString(),
                "--mask", dir.resolve("best-mask.json").toString(), "--out", again.toString(), "--data", DATA,
                "--set", "data.finetune.size=512", "--set", "data.validation.size=256", "--set", "data.test.size=256",
                "--set", "rebuild.measure.repeats=1", "--set", "rebuild.measure.warmup=0");
        assertEquals(Main.OK, rebuild.exitCode(), rebuild.err());
        assertEquals(ModelFiles.read(dir.resolve("rebuilt-model.zip").toString(), "run", HADOOP).network().params(),
                ModelFiles.read(again.resolve("rebuilt-model.zip").toString(), "apply", HADOOP).network().params());
    }

    @Test
    void withARunAModelWithoutANormaliserGetsTheRunsNormalizerBin() throws Exception {
        // The user's own model (no normalizer.bin inside) and a data.normalize: the run fitted one, wrote
        // normalizer.bin and trained and scored on normalised features; evaluate and apply --run must too.
        // (standardize, not minmax: min-max of [0, 1] pixels changes them too little to change the accuracy.)
        Path out = TinyRuns.newFolder("run-normaliser");
        Path model = TinyRuns.baseModel();
        TinyRuns.Outcome run = TinyRuns.execute(TinyRuns.args(TinyRuns.settings(out, "run", "model.path",
                model.toString(), "data.normalize", "standardize", "search.generations", "1",
                "rebuild.measure.repeats", "1", "rebuild.measure.warmup", "0"), "run"));
        assertEquals(Main.OK, run.exitCode(), run.err());
        Path dir = out.resolve("run");
        Path file = dir.resolve(PruningJob.NORMALIZER_FILE);
        byte[] normalizer = Files.readAllBytes(file);
        String used = "evoprune: features are normalised with the run's " + file + " (" + model + " bundles none)";

        String base = printed("evaluate", "--run", dir.toString(), "--model", model.toString());
        assertTrue(base.contains(used), base);
        double reported = TinyRuns.json(dir.resolve("summary.json")).get("base").get("test").get("accuracy").asDouble();
        assertTrue(base.contains(accuracy(reported)), "the run's base test accuracy " + reported + ": " + base);

        Path applied = out.resolve("applied");
        String apply = printed("apply", "--run", dir.toString(), "--out", applied.toString());
        assertTrue(apply.contains(used), apply);
        assertArrayEquals(normalizer, ModelFiles.read(applied.resolve("rebuilt-model.zip").toString(), "test", HADOOP)
                .normalizer(), "the rebuilt model bundles the normaliser it was measured with");
    }

    private static RunInputs inputs(Map<String, String> settings, PrintStream console, String modelPath) {
        return RunInputs.read(RunConfig.from(Settings.defaults().with(settings, "test")), console, modelPath, HADOOP);
    }

    private static String accuracy(double value) {
        return String.format(Locale.ROOT, "  %-26s %.4f", "accuracy", value); // EvaluateCommand's row
    }

    /** {@code evaluate} on the tiny runs' 256 test examples; what it printed. */
    private static String evaluate(String... model) {
        String[] args = new String[model.length + 5];
        args[0] = "evaluate";
        System.arraycopy(model, 0, args, 1, model.length);
        System.arraycopy(new String[] {"--data", DATA, "--set", "data.test.size=256"}, 0, args, model.length + 1, 4);
        return printed(args);
    }

    /** What a command that succeeds prints. */
    private static String printed(String... args) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            int code = Main.execute(new PrintWriter(stdout, true), new PrintWriter(System.err, true), args);
            assertEquals(Main.OK, code);
        } finally {
            System.setOut(stdout);
        }
        return printed.toString(StandardCharsets.UTF_8);
    }
}
