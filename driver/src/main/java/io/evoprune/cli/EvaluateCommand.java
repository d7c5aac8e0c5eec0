package io.evoprune.cli;

import io.evoprune.config.RunConfig;
import io.evoprune.config.Settings;
import io.evoprune.data.ArrayDataset;
import io.evoprune.data.DataLoader;
import io.evoprune.evaluation.Scores;
import io.evoprune.job.BadInputException;
import io.evoprune.model.ModelFiles;
import io.evoprune.model.ModelInputs;
import io.evoprune.model.NativeThreads;
import io.evoprune.model.Flops;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import io.evoprune.mask.LayerGraph;
import io.evoprune.model.Network;
import io.evoprune.model.NetworkKind;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.nd4j.linalg.dataset.DataSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code evoprune evaluate}: every metric of one model on one dataset, no search. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a model on a dataset: accuracy, macro precision/recall/F1, loss, parameters, multiply-adds.")
final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "M", description = "DL4J model file (ModelSerializer zip).")
    String model;

    @Option(names = "--data", required = true, paramLabel = "D", description = "Dataset folder (as data.path).")
    String data;

    @Option(names = "--part", paramLabel = "PART", defaultValue = "test",
            description = "Which part of the dataset: test (default) or train.")
    String part;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a data.* key (e.g. data.format=csv).")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Override
    public Integer call() {
        Map<String, String> keys = new LinkedHashMap<>(overrides);
        keys.put("data.path", data);
        RunConfig config = RunConfig.from(Settings.defaults().with(keys, "--set options"));
        NativeThreads.limit(config.threads());
        Configuration hadoop = new Configuration();
        if (!part.equals("test") && !part.equals("train")) {
            throw new BadInputException("--part must be test or train, but was '" + part + "'");
        }
        Network net;
        ArrayDataset examples;
        try {
            net = ModelFiles.load(model, hadoop);
            DataLoader.Parts parts = DataLoader.load(config.data().source(), ApplyCommand.DATA_SEED, hadoop);
            examples = ModelInputs.adapt(net.configuration(), part.equals("test") ? parts.test() : parts.train());
        } catch (IOException | IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        DataSet ds = examples.toDataSet();
        long inputs = ds.getFeatures().size(1);
        long classes = ds.getLabels().size(1);
        LayerGraph graph = LayerGraph.of(net.configuration());
        LayerGraph.Node first = graph.node(graph.layerNames().get(0));
        if (net.kind() == NetworkKind.MULTI_LAYER && first.preProcessor() == null
                && first.layer() instanceof FeedForwardLayer ff && ff.getNIn() != inputs) {
            throw new BadInputException("Model " + model + " takes " + ff.getNIn() + " inputs but the data at " + data
                    + " has " + inputs + " features per example");
        }
        if (graph.node(graph.output()).layer() instanceof FeedForwardLayer out && out.getNOut() != classes) {
            throw new BadInputException("Model " + model + " has " + out.getNOut() + " outputs but the data at " + data
                    + " has " + classes + " classes");
        }
        Scores s = Scores.of(net, ds, config.data().regression());
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("examples", examples.size());
        if (s.regression()) {
            row.put("mse", s.mse());
            row.put("mae", s.mae());
        } else {
            row.put("accuracy", s.accuracy());
            row.put("precision (macro)", s.precision());
            row.put("recall (macro)", s.recall());
            row.put("f1 (macro)", s.f1());
        }
        row.put("loss", s.loss());
        row.put("parameters", net.numParams());
        Flops flops = Flops.of(net, examples.featureShape());
        row.put("multiply-adds per example", flops.multiplyAdds() + (flops.uncounted().isEmpty() ? ""
                : " (not counting layers " + String.join(", ", flops.uncounted()) + ")"));
        System.out.printf(Locale.ROOT, "evoprune: %s on the %s part of %s%n", model, part, data);
        row.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-26s %s%n", k,
                v instanceof Double d ? String.format(Locale.ROOT, "%.4f", d) : v));
        return Main.OK;
    }
}
