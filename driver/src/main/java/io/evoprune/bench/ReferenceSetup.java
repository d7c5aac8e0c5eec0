package io.evoprune.bench;

import io.evoprune.config.RunConfig;
import io.evoprune.config.Settings;
import io.evoprune.data.DataSplits;
import io.evoprune.data.Normalization;
import io.evoprune.evaluation.Candidate;
import io.evoprune.evaluation.Scores;
import io.evoprune.evaluation.Workload;
import io.evoprune.farm.SparkSetup;
import io.evoprune.job.BadInputException;
import io.evoprune.job.RunInputs;
import io.evoprune.mask.Mask;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.mask.Seeds;
import io.evoprune.model.ModelFiles;
import io.evoprune.model.Network;
import io.evoprune.model.NetworkBlueprint;
import io.evoprune.search.FineTuneSeed;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The reference workload, read and checked the way a run reads it (RunInputs), with its pretrained base
 * network cached in the work folder so that repeated suite runs measure the same base without pretraining again.
 */
final class ReferenceSetup {
    /** Smoke mode: the shipped subset and a few batches, so that every item runs in seconds. */
    static final Map<String, String> SMOKE = Map.of(
            "data.path", "data/fashion-mnist-small",
            "data.finetune.size", "512",
            "data.validation.size", "256",
            "data.test.size", "256",
            "model.pretrain.epochs", "1",
            "search.population", "4",
            "search.generations", "1",
            "finetune.max-batches", "2");
    private static final long CANDIDATE_STREAM = 77;

    final RunConfig config;
    final RunInputs inputs;
    final Network base;
    final Workload workload;
    final DataSet validation;
    final DataSet test;
    final double baseValidationAccuracy;
    final double baseTestAccuracy;
    final Path baseFile;

    private ReferenceSetup(RunConfig config, RunInputs inputs, Network base, Path baseFile) {
        this.config = config;
        this.inputs = inputs;
        this.base = base;
        this.baseFile = baseFile;
        DataSplits splits = inputs.splits();
        this.workload = new Workload(NetworkBlueprint.of(base), splits.fineTune(), splits.validation(),
                inputs.layout(), inputs.fineTune(), config.fitness(), config.threads(), inputs.normalizer());
        this.validation = Normalization.apply(inputs.normalizer(), splits.validation().toDataSet());
        this.test = Normalization.apply(inputs.normalizer(), splits.test().toDataSet());
        this.baseValidationAccuracy = Scores.of(base, validation).accuracy();
        this.baseTestAccuracy = Scores.of(base, test).accuracy();
    }

    static ReferenceSetup load(BenchOptions options, PrintStream console) throws IOException {
        Map<String, String> overrides = new LinkedHashMap<>();
        if (options.smoke()) {
            overrides.putAll(SMOKE);
        }
        if (options.data() != null) {
            overrides.put("data.path", options.data());
        }
        RunConfig config;
        try {
            config = RunConfig.from(Settings.defaults().withFile(options.config()).with(overrides, "bench options"));
            config.search().checkedForGenetic(); // the bench measures the genetic search, whatever the file says
        } catch (IllegalArgumentException e) { // a key or value the job file gets wrong
            throw new BadInputException(e.getMessage(), e);
        }
        Files.createDirectories(options.work());
        Path cached = options.work().resolve("base-" + pretrainingKey(config.settings()) + ".zip");
        Configuration hadoop = SparkSetup.hadoopConfiguration();
        if (Files.exists(cached)) {
            console.println("bench: base network " + cached + " (cached)");
            RunInputs inputs = RunInputs.read(config, console, cached.toString(), hadoop);
            return new ReferenceSetup(config, inputs, inputs.base(), cached);
        }
        RunInputs inputs = RunInputs.read(config, console, null, hadoop);
        Network base = inputs.pretrain(config, console);
        ModelFiles.save(base, new org.apache.hadoop.fs.Path(cached.toUri()), hadoop);
        console.println("bench: base network pretrained and saved to " + cached);
        return new ReferenceSetup(config, inputs, base, cached);
    }

    PrunableLayout layout() {
        return inputs.layout();
    }

    /**
     * {@code count} random masks at the search's initial keep probability, with the search's fine-tune seeds:
     * a generation 0 drawn from its own stream, the same in every item and every run.
     */
    List<Candidate> candidates(int count, long stream) {
        SplittableRandom random = new SplittableRandom(Seeds.derive(config.search().seed(), CANDIDATE_STREAM, stream));
        double keep = config.search().initialKeepProbability();
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Mask mask = Mask.of(layout().units(), u -> random.nextDouble() < keep);
            candidates.add(new Candidate(i, mask, FineTuneSeed.of(config.search().seed(), mask)));
        }
        return candidates;
    }

    /** A digest of the settings the pretrained base depends on (data, model, seed). */
    private static String pretrainingKey(Map<String, String> settings) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(settings).forEach((k, v) -> {
            if (k.startsWith("data.") || k.startsWith("model.") || k.equals("search.seed")) {
                sb.append(k).append('=').append(v).append('\n');
            }
        });
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
