package io.evoprune.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.data.ArrayDataset;
import io.evoprune.mask.Granularity;
import io.evoprune.mask.Mask;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.mask.TestNetworks;
import io.evoprune.model.Network;
import io.evoprune.model.NetworkBlueprint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Several evaluations at once in one executor JVM, on one device (GPU 0 with the CUDA build, else the CPU), as task
 * slots sharing a GPU run them: each scores what it scores alone (they share the workload's arrays, read-only).
 * CudaEvaluationTest checks on a GPU that rounds of them leave no device memory behind.
 */
@Tag("integration")
class ConcurrentEvaluationTest {
    /** The same arithmetic on the same device; a GPU's reductions may add in another order from run to run. */
    static final double TOLERANCE = 1e-4;

    @Test
    void evaluationsSideBySideScoreWhatTheyScoreAlone() throws Exception {
        sideBySide(Network.init(TestNetworks.mlp(3)));
    }

    @Test
    void dropoutDrawsTheSameMasksSideBySide() throws Exception {
        // Dropout draws from ND4J's per-thread generator, which Trainer seeds per evaluation.
        sideBySide(Network.init(new NeuralNetConfiguration.Builder().seed(3).updater(new Adam(1e-3)).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new DenseLayer.Builder().name("fc").nOut(16).activation(Activation.RELU).dropOut(0.8).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1))
                .build()));
    }

    @Test
    void rreluKeepsEachEvaluationsSlopes() throws Exception {
        // RReLU draws random slopes in the forward pass and keeps them for the backward pass.
        sideBySide(Network.init(new NeuralNetConfiguration.Builder().seed(3).updater(new Adam(1e-3)).list()
                .layer(new DenseLayer.Builder().name("h1").nIn(784).nOut(32).activation(Activation.RRELU).build())
                .layer(new DenseLayer.Builder().name("h2").nOut(16).activation(Activation.RRELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(784))
                .build()));
    }

    private static void sideBySide(Network base) throws Exception {
        ArrayDataset train = ShippedData.train();
        PrunableLayout layout = PrunableLayout.of(base.configuration(), Granularity.NEURON);
        Workload workload = new Workload(NetworkBlueprint.of(base), train.slice(0, 512), train.slice(512, 768), layout,
                new FineTuneSettings(1, 8, 32, 0.01), new Fitness(0.5, 0.5), 1, null);
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int shift = i;
            candidates.add(new Candidate(i, Mask.of(layout.units(), u -> (u + shift) % 4 != 0), 100 + i));
        }

        ExecutorService one = Executors.newFixedThreadPool(1);
        // Four task threads, kept from round to round as Spark keeps its task threads (and their workspaces).
        ExecutorService four = Executors.newFixedThreadPool(4);
        try {
            List<EvaluationResult> alone = evaluate(one, workload, candidates);
            List<EvaluationResult> together = evaluate(four, workload, candidates);
            assertSameScores(alone, together);
        } finally {
            one.shutdownNow();
            four.shutdownNow();
        }
    }

    private static void assertSameScores(List<EvaluationResult> alone, List<EvaluationResult> together) {
        for (int i = 0; i < alone.size(); i++) {
            EvaluationResult a = alone.get(i);
            EvaluationResult b = together.get(i);
            assertFalse(a.failed() || b.failed(), a.failure() + " / " + b.failure());
            assertEquals(a.loss(), b.loss(), TOLERANCE, "validation loss of candidate " + i);
            assertEquals(a.accuracy(), b.accuracy(), TOLERANCE, "validation accuracy of candidate " + i);
        }
        double spread = alone.stream().mapToDouble(EvaluationResult::loss).max().orElseThrow()
                - alone.stream().mapToDouble(EvaluationResult::loss).min().orElseThrow();
        assertTrue(spread > 100 * TOLERANCE, "the candidates score differently: loss spread " + spread);
    }

    /** Evaluations as many at a time as {@code pool} has threads, each pinned to GPU 0 as a task assigned it. */
    static List<EvaluationResult> evaluate(ExecutorService pool, Workload workload, List<Candidate> candidates)
            throws Exception {
        List<Future<EvaluationResult>> pending = new ArrayList<>();
        for (Candidate c : candidates) {
            pending.add(pool.submit(() -> {
                DevicePinning.pin(new String[] {"0"});
                return MaskEvaluator.evaluate(workload, c);
            }));
        }
        List<EvaluationResult> results = new ArrayList<>();
        for (Future<EvaluationResult> f : pending) {
            results.add(f.get());
        }
        return results;
    }
}
