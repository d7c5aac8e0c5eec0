package io.evoprune.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.evoprune.checkpoint.CheckpointStore;
import io.evoprune.data.DataSplits;
import io.evoprune.data.IdxDataset;
import io.evoprune.evaluation.Candidate;
import io.evoprune.evaluation.EvaluationResult;
import io.evoprune.evaluation.FineTuneSettings;
import io.evoprune.evaluation.Fitness;
import io.evoprune.evaluation.MaskEvaluator;
import io.evoprune.evaluation.Workload;
import io.evoprune.mask.Granularity;
import io.evoprune.mask.Mask;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.model.NetworkBlueprint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Fault: fine-tuning diverges. A linear network with squared error trained by plain SGD at learning rate 10 on
 * 784 pixels blows up for real (every step multiplies the error), so its candidates diverge in DL4J itself.
 */
@Tag("integration")
class DivergenceTest {
    private static Path model;

    @BeforeAll
    static void saveDivergingModel() throws Exception {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(3).updater(new Sgd(0.01)).weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().name("fc1").nIn(784).nOut(32).activation(Activation.IDENTITY).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).name("out").nIn(32).nOut(10)
                        .activation(Activation.IDENTITY).build())
                .build());
        net.init();
        model = TinyRuns.newFolder("diverging").resolve("sgd-linear.zip");
        ModelSerializer.writeModel(net, model.toFile(), true);
    }

    @Test
    void aDivergedCandidateGetsTheWorstFitnessAndTheReason() throws Exception {
        IdxDataset.Parts data = IdxDataset.load(TinyRuns.ROOT.resolve("data/fashion-mnist-small").toString(),
                new Configuration());
        DataSplits splits = DataSplits.cut(data.train().withFeatureShape(784), data.test().withFeatureShape(784), 512,
                256, 256);
        MultiLayerNetwork base = ModelSerializer.restoreMultiLayerNetwork(model.toFile(), false);
        PrunableLayout layout = PrunableLayout.of(base.getLayerWiseConfigurations(), Granularity.NEURON);
        Workload workload = new Workload(NetworkBlueprint.of(io.evoprune.model.Network.of(base)), splits.fineTune(), splits.validation(), layout,
                new FineTuneSettings(1, 8, 64, 10), new Fitness(0.5, 0.5), 1, null);

        EvaluationResult r = MaskEvaluator.evaluate(workload, new Candidate(0, Mask.allKept(layout.units()), 11));

        assertEquals(Fitness.WORST, r.fitness());
        assertTrue(r.failed() && r.failure().startsWith("diverged: "), r.failure());
    }

    @Test
    void aBaseWhoseImportanceIsNotFiniteFailsTheRunItStartedNotAsBadInput() throws Exception {
        // Importance seeding needs the base, so it runs once the run directory exists: a NaN weight (a base that
        // diverged before it was saved) is found there, and the run fails saying nothing was searched yet.
        MultiLayerNetwork nan = ModelSerializer.restoreMultiLayerNetwork(model.toFile(), false);
        nan.getLayer(0).getParam("W").putScalar(0, 0, Double.NaN);
        Path out = TinyRuns.newFolder("nan-base");
        Path file = out.resolve("nan-base.zip");
        ModelSerializer.writeModel(nan, file.toFile(), true);
        TinyRuns.Outcome o = TinyRuns.execute(TinyRuns.args(TinyRuns.settings(out, "nan", "model.path", file.toString(),
                "init.importance-fraction", "0.5", "init.importance-criteria", "magnitude"), "run"));
        assertEquals(1, o.exitCode(), o.err());
        assertTrue(o.err().contains("evoprune: failed: Seeding the initial population: ")
                && o.err().contains("is NaN") && o.err().contains("nothing was searched yet"), o.err());
        assertTrue(Files.exists(out.resolve("nan/_RUNNING")), "the run directory says the run did not finish");
    }

    @Test
    void aRunOfDivergingCandidatesStopsWithExitOneAndResumesWhenAllowed() throws Exception {
        Path out = TinyRuns.newFolder("divergence");
        Map<String, String> settings = TinyRuns.settings(out, "diverging", "model.path", model.toString(),
                "finetune.learning-rate", "10", "finetune.max-batches", "8", "search.generations", "1");
        Path run = out.resolve("diverging");

        // Every candidate diverges: more than the default share (0.5) of generation 0 fails, the run stops (exit 1).
        TinyRuns.Outcome stopped = TinyRuns.execute(TinyRuns.args(settings, "run"));
        assertEquals(1, stopped.exitCode(), stopped.err());
        assertTrue(stopped.err().contains("Generation 0: 4 of 4 evaluations failed or diverged, more than "
                + "evaluation.max-failed-fraction = 0.5 allows; first: diverged: "), stopped.err());
        assertTrue(stopped.err().contains("evoprune run --resume " + run.toUri().getPath().replaceAll("/$", ""))
                || stopped.err().contains("evoprune run --resume "), stopped.err());
        assertTrue(Files.exists(run.resolve("_RUNNING")));

        // Allowed to fail everything, the resumed run goes on to the end with every diverged mask at the worst fitness.
        TinyRuns.Outcome resumed = TinyRuns.execute("run", "--resume", run.toString(),
                "--set", "evaluation.max-failed-fraction=1");
        assertEquals(0, resumed.exitCode(), resumed.err());
        List<JsonNode> generations = TinyRuns.generationsWithoutTimings(run);
        assertEquals(2, generations.size());
        for (JsonNode g : generations) {
            assertEquals(g.get("evaluations").asInt(), g.get("failed").asInt(), g.toString());
            assertEquals(Fitness.WORST, g.get("bestFitness").asDouble(), g.toString());
        }
        try (Stream<Path> files = Files.list(run.resolve(CheckpointStore.FOLDER))) {
            Path newest = files.filter(p -> p.toString().endsWith(".ckpt")).sorted().reduce((a, b) -> b).orElseThrow();
            assertTrue(Files.readString(newest).contains("\"failure\":\"diverged: "), "the reason is recorded");
        }
    }
}
