package io.evoprune.job;

import io.evoprune.config.RunConfig;
import io.evoprune.config.StrategyConfig;
import io.evoprune.data.DataSplits;
import io.evoprune.data.IdxDataset;
import io.evoprune.evaluation.Candidate;
import io.evoprune.evaluation.MaskEvaluator;
import io.evoprune.evaluation.Scores;
import io.evoprune.evaluation.Workload;
import io.evoprune.farm.SparkEvaluationFarm;
import io.evoprune.farm.SparkSetup;
import io.evoprune.mask.Mask;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.mask.Seeds;
import io.evoprune.model.Architectures;
import io.evoprune.model.ModelFiles;
import io.evoprune.model.NativeThreads;
import io.evoprune.model.NetworkBlueprint;
import io.evoprune.model.Trainer;
import io.evoprune.report.MaskReport;
import io.evoprune.report.ProgressLine;
import io.evoprune.report.RunDirectory;
import io.evoprune.report.RunSummary;
import io.evoprune.search.SearchResult;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A whole search run, in the order it happens: check the inputs, get the base network, evolve masks on
 * Spark, then fine-tune the best mask once more and report it against the base on validation and test.
 */
public final class PruningJob {
    private static final long PRETRAIN_STREAM = 4;

    private final RunConfig config;
    private final PrintStream console;
    private final Configuration hadoop = new Configuration();

    public PruningJob(RunConfig config, PrintStream console) {
        this.config = config;
        this.console = console;
    }

    /** Runs the search and returns where its outputs are. */
    public Path run(SparkConf sparkConf) throws IOException {
        NativeThreads.limit(config.threads());
        StrategyConfig strategy = StrategyConfig.from(config.settings());

        // 1. Inputs: everything is read and checked before a run directory exists or a Spark job starts.
        DataSplits splits = loadData();
        MultiLayerNetwork base = config.model().pretrained() ? loadModel(splits) : null;
        PrunableLayout layout = PrunableLayout.of(
                base != null ? base.getLayerWiseConfigurations() : architecture(splits), config.model().granularity());
        RunDirectory run;
        try {
            run = RunDirectory.create(runLocation(), hadoop);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new BadInputException(e.getFile(), e);
        }
        run.writeConfiguration(config.settings());
        console.println("evoprune: run directory " + run.path());

        // 2. The base network: the user's, or a built-in one pretrained here and saved for the next run.
        if (base == null) {
            base = pretrain(splits);
            run.writeModel("base-model.zip", base);
            console.println("evoprune: pretrained base saved; reuse it with --set model.path=" + run.file("base-model.zip"));
        }
        DataSet validation = splits.validation().toDataSet();
        DataSet test = splits.test().toDataSet();
        Scores baseValidation = Scores.of(base, validation);
        Scores baseTest = Scores.of(base, test);
        console.printf("evoprune: base %,d parameters, %d prunable %ss; validation accuracy %.4f, test accuracy %.4f%n",
                base.numParams(), layout.units(), layout.granularity().configName(), baseValidation.accuracy(),
                baseTest.accuracy());

        // 3. The search: one Spark job per generation.
        Workload workload = new Workload(NetworkBlueprint.of(base), splits.fineTune(), splits.validation(), layout,
                config.fineTune(), config.fitness(), config.threads());
        List<Mask> seeds = StrategySearch.seeds(config, strategy, base, layout, splits.fineTune().toDataSet(), console);
        StrategySearch.Outcome outcome;
        SparkConf conf = SparkSetup.configure(sparkConf, config.settings(), config.threads());
        try (JavaSparkContext spark = new JavaSparkContext(conf);
             SparkEvaluationFarm farm = new SparkEvaluationFarm(spark, workload, config.partitions())) {
            console.println("evoprune: Spark " + spark.version() + " on " + spark.master() + ", application "
                    + spark.sc().applicationId());
            ProgressLine progress = new ProgressLine(console, config.search().generations());
            outcome = StrategySearch.run(config, strategy, spark, farm, workload, base, seeds,
                    baseValidation.accuracy(), stats -> {
                        progress.print(stats);
                        try {
                            run.appendGeneration(stats);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
        }
        SearchResult result = outcome.result();

        // 4. The best mask, fine-tuned again with its own seed (the same network its evaluation scored).
        MaskEvaluator.Trained pruned = MaskEvaluator.fineTune(workload,
                new Candidate(0, result.bestMask(), result.bestSeed()));
        Scores prunedValidation = Scores.of(pruned.network(), validation);
        Scores prunedTest = Scores.of(pruned.network(), test);
        run.writeModel("pruned-model.zip", pruned.network());
        run.writeJson("best-mask.json", MaskReport.of(result.bestMask(), layout));
        StrategyReports.write(run, outcome, prunedTest.accuracy(), layout, console);
        if (strategy.baselineReport()) {
            StrategyReports.baselines(run, strategy, config, base, workload, splits, result, pruned.network(),
                    baseValidation.accuracy(), baseTest.accuracy(), console);
        }
        int generations = result.history().size() - 1;
        run.writeJson("summary.json", new RunSummary(
                new RunSummary.Network(base.numParams(), baseValidation, baseTest),
                new RunSummary.Network(pruned.parametersKept(), prunedValidation, prunedTest),
                new RunSummary.Search(generations, result.evaluations(), result.cacheHits(), result.best().fitness(),
                        result.bestMask().keptFraction(), result.stopReason(), result.seconds(),
                        result.evaluations() / result.seconds(), config.search().seed())));
        run.complete();
        console.printf("evoprune: stopped on %s after %d generations, %d evaluations in %.1f s%n",
                result.stopReason(), generations, result.evaluations(), result.seconds());
        console.printf("evoprune: best mask keeps %d of %d %ss (%.1f%%), %,d of %,d parameters%n",
                result.bestMask().keptCount(), layout.units(), layout.granularity().configName(),
                100 * result.bestMask().keptFraction(), pruned.parametersKept(), base.numParams());
        console.printf("evoprune: accuracy   validation %.4f -> %.4f   test %.4f -> %.4f (base -> pruned)%n",
                baseValidation.accuracy(), prunedValidation.accuracy(), baseTest.accuracy(), prunedTest.accuracy());
        console.println("evoprune: outputs in " + run.path());
        return run.path();
    }

    DataSplits loadData() {
        try {
            IdxDataset.Parts parts = IdxDataset.load(config.data().path(), hadoop);
            return DataSplits.cut(parts.train(), parts.test(), config.data().fineTuneSize(),
                    config.data().validationSize(), config.data().testSize());
        } catch (IOException e) {
            throw new BadInputException(e.getMessage(), e);
        }
    }

    MultiLayerNetwork loadModel(DataSplits splits) {
        String path = config.model().path();
        MultiLayerNetwork net;
        try {
            net = ModelFiles.load(path, hadoop);
        } catch (IOException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        var layers = net.getLayerWiseConfigurations().getConfs();
        if (layers.get(0).getLayer() instanceof FeedForwardLayer first
                && first.getNIn() != splits.fineTune().featureSize()) {
            throw new BadInputException("Model " + path + " takes " + first.getNIn() + " inputs but the data at "
                    + config.data().path() + " has " + splits.fineTune().featureSize() + " features per example");
        }
        if (!(layers.get(layers.size() - 1).getLayer() instanceof BaseOutputLayer out)) {
            throw new BadInputException("Model " + path + " does not end in an output layer");
        }
        if (out.getNOut() != splits.fineTune().numClasses()) {
            throw new BadInputException("Model " + path + " has " + out.getNOut() + " outputs but the data at "
                    + config.data().path() + " has " + splits.fineTune().numClasses() + " classes");
        }
        return net;
    }

    org.deeplearning4j.nn.conf.MultiLayerConfiguration architecture(DataSplits splits) {
        return Architectures.build(config.model().architecture(), splits.pretrain().featureSize(),
                splits.pretrain().numClasses(), config.model().pretrainLearningRate(),
                Seeds.derive(config.search().seed(), PRETRAIN_STREAM, 0));
    }

    MultiLayerNetwork pretrain(DataSplits splits) {
        MultiLayerNetwork net = new MultiLayerNetwork(architecture(splits));
        net.init();
        long start = System.nanoTime();
        Trainer.fit(net, splits.pretrain().toDataSet(), config.model().pretrainEpochs(),
                config.model().pretrainBatchSize(), 0, Seeds.derive(config.search().seed(), PRETRAIN_STREAM, 1));
        console.printf("evoprune: pretrained %s for %d epochs on %,d examples in %.1f s%n", config.model().architecture(),
                config.model().pretrainEpochs(), splits.pretrain().size(), (System.nanoTime() - start) / 1e9);
        return net;
    }

    String runLocation() {
        String name = config.runName().isEmpty()
                ? "run-" + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                : config.runName();
        return new Path(config.outputDir(), name).toString();
    }
}
