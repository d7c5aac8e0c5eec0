package io.evoprune.cli;

import io.evoprune.config.RunConfig;
import io.evoprune.data.ArrayDataset;
import io.evoprune.data.DataLoader;
import io.evoprune.data.DataSplits;
import io.evoprune.data.Normalization;
import io.evoprune.evaluation.PairedComparison;
import io.evoprune.evaluation.Scores;
import io.evoprune.farm.SparkSetup;
import io.evoprune.job.BadInputException;
import io.evoprune.job.RunInputs;
import io.evoprune.model.Flops;
import io.evoprune.model.ModelFile;
import io.evoprune.model.ModelFiles;
import io.evoprune.model.NativeThreads;
import io.evoprune.model.Network;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.nd4j.linalg.dataset.DataSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code evoprune evaluate}: every metric of one model on one dataset (and, with a base, the paired test), no search. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a model on a dataset: accuracy, macro precision/recall/F1, loss, parameters, multiply-adds;"
                + " with --base, against a second model example by example.")
final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "M",
            description = "Model file, as model.path: a DL4J ModelSerializer zip or a Keras HDF5 file. With --run,"
                    + " default: the run's exported model (rebuilt-model.zip, else masked-model.zip, else"
                    + " pruned-model.zip).")
    String model;

    @Option(names = "--data", paramLabel = "D",
            description = "Dataset (a folder or file, as data.path, in data.format). A csv, images or dataset"
                    + " training file also needs --set data.test-path=FILE, which --part test reads. With --run,"
                    + " default: the run's data.path (which --set data.path may override; without --run,"
                    + " --set data.path is refused: give --data).")
    String data;

    @Option(names = "--run", paramLabel = "RUN_DIR",
            description = "A run directory: its config.properties gives the data.* keys, search.seed and"
                    + " evaluation.threads, so that --part cuts the run's own splits (--data and --set still win),"
                    + " and --model and --base default to the run's exported model and its base (base-model.zip,"
                    + " else the run's model.path). Where neither model bundles a normaliser, the run's"
                    + " normalizer.bin transforms the data, if it has one (a different bundled one is refused).")
    String run;

    @Option(names = "--part", paramLabel = "PART", defaultValue = "test",
            description = "Which part of the dataset: test (default; its first data.test.size examples, as in a run),"
                    + " validation (the run's validation split: data.validation.size, data.shuffle, search.seed) or train.")
    String part;

    @Option(names = "--base", paramLabel = "B", description = "Also score model B (e.g. the dense base) on the same"
            + " examples and compare the two example by example: McNemar's exact test and a 95%% interval for the"
            + " difference in accuracy (paired t on squared errors for regression). With --run, default: the run's"
            + " base.")
    String base;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override a data.* key (e.g. data.format=csv), search.seed or evaluation.threads.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Override
    public Integer call() {
        Main.requireReadKeys("evaluate", overrides, false);
        Main.requireDataOption("evaluate", overrides, data, run);
        Configuration hadoop = SparkSetup.hadoopConfiguration();
        SavedRun saved = run == null ? null : SavedRun.open(run, hadoop);
        if (saved != null) {
            model = model != null ? model : saved.exported();
            base = base != null ? base : saved.base();
        } else if (model == null || data == null) {
            throw new BadInputException("evoprune evaluate needs --model and --data, or --run RUN_DIR");
        }
        RunConfig config = SavedRun.configuration(saved, false, overrides, data);
        NativeThreads.limit(config.threads());
        if (!part.equals("test") && !part.equals("validation") && !part.equals("train")) {
            throw new BadInputException("--part must be test, validation or train, but was '" + part + "'");
        }
        Network net;
        Network baseNet = null;
        ArrayDataset raw;
        byte[] own;
        byte[] baseOwn = null;
        try {
            ModelFile file = ModelFiles.read(model, "--model", hadoop);
            net = file.network();
            own = file.normalizer();
            if (base != null) {
                ModelFile baseFile = ModelFiles.read(base, "--base", hadoop);
                baseNet = baseFile.network();
                baseOwn = baseFile.normalizer();
            }
            DataLoader.Parts parts = RunInputs.loadParts(config, hadoop);
            raw = switch (part) {
                case "test" -> DataSplits.firstTests(parts.test(), config.data().testSize());
                case "validation" -> DataSplits.cut(parts.train(), parts.test(), config.data().fineTuneSize(),
                        config.data().validationSize(), config.data().testSize()).validation();
                default -> parts.train();
            };
        } catch (IOException | IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        String source = part.equals("test") ? config.data().source().testLocation() : config.data().path();
        byte[] normalizer = normalizer(saved, own, baseOwn);
        raw = Normalization.toNormaliserUnits(normalizer, config.data().source().format()).apply(raw);
        ArrayDataset examples = RunInputs.fit(net.configuration(), "Model " + model, source, raw);
        DataSet ds = RunInputs.normalised(normalizer, examples, "Model " + model, source);
        ArrayDataset baseExamples = null;
        DataSet baseDs = null;
        if (baseNet != null) { // each network reads the examples its own way (e.g. flat rows or images)
            baseExamples = RunInputs.fit(baseNet.configuration(), "Model " + base, source, raw);
            baseDs = RunInputs.normalised(normalizer, baseExamples, "Model " + base, source);
        }
        boolean regression = config.data().regression();
        System.out.printf(Locale.ROOT, "evoprune: %s on the %s part of %s%n", model, part, source);
        print(net, examples, Scores.of(net, ds, regression));
        if (baseNet != null) {
            System.out.printf(Locale.ROOT, "evoprune: base %s on the same examples%n", base);
            print(baseNet, baseExamples, Scores.of(baseNet, baseDs, regression));
            PairedComparison paired = PairedComparison.of(baseNet, baseDs.getFeatures(), net, ds, regression);
            System.out.println("evoprune: paired, " + model + " against the base: "
                    + (paired == null ? "not comparable (an output is not finite, or fewer than 2 examples)"
                    : paired.describe()));
        }
        return Main.OK;
    }

    /**
     * The normaliser bundled in the model, else in the base (a run bundles the same one in each of its models), else
     * the run's normalizer.bin ({@link SavedRun#normaliser}). Both networks read the same examples, so two different
     * ones are refused.
     */
    private byte[] normalizer(SavedRun saved, byte[] own, byte[] baseOwn) {
        if (own != null && baseOwn != null && !Normalization.alike(own, baseOwn)) {
            throw new BadInputException("Model files " + model + " and " + base + " bundle different normalisers"
                    + " (normalizer.bin): they expect differently transformed inputs, so they cannot be scored on the"
                    + " same examples");
        }
        SavedRun.Normaliser used = SavedRun.normaliser(saved, own != null ? own : baseOwn, own != null ? model
                : baseOwn != null ? base : model);
        if (used == null) {
            return null;
        }
        System.out.println("evoprune: features are normalised with " + used.from());
        return used.bytes();
    }

    private static void print(Network net, ArrayDataset examples, Scores s) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("examples", String.format(Locale.ROOT, "%,d", examples.size())); // counts as the run's console writes them
        if (s.regression()) {
            row.put("mse", s.mse());
            row.put("mae", s.mae());
            row.put("r2", s.r2());
        } else {
            row.put("accuracy", s.accuracy());
            row.put("precision (macro)", s.precision());
            row.put("recall (macro)", s.recall());
            row.put("f1 (macro)", s.f1());
        }
        row.put("loss", s.loss());
        long zeros = net.numParams() - net.params().neq(0).castTo(org.nd4j.linalg.api.buffer.DataType.LONG)
                .sumNumber().longValue();
        // A masked network (a run's pruned-model.zip) keeps its full size with the pruned weights at zero.
        row.put("parameters", String.format(Locale.ROOT, "%,d", net.numParams())
                + (zeros == 0 ? "" : String.format(Locale.ROOT, " (%,d zero)", zeros)));
        Flops flops = Flops.of(net, examples.featureShape());
        row.put("multiply-adds per example", String.format(Locale.ROOT, "%,d", flops.multiplyAdds())
                + (flops.uncounted().isEmpty() ? "" : " (not counting layers " + String.join(", ", flops.uncounted()) + ")"));
        row.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-26s %s%n", k,
                v instanceof Double d ? String.format(Locale.ROOT, "%.4f", d) : v));
    }
}
