package io.evoprune.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.evoprune.data.ArrayDataset;
import io.evoprune.mask.Granularity;
import io.evoprune.mask.Mask;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.mask.TestNetworks;
import io.evoprune.model.Network;
import io.evoprune.model.NetworkBlueprint;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Evaluations on ND4J's CUDA backend (build with {@code -Pcuda}; skipped where no CUDA device is visible): they run
 * on the device their task was pinned to, score what the CPU backend scores for the same workload and masks, and
 * rounds of concurrent evaluations on one GPU leave no device memory behind. Run: {@code mvn -Pcuda -pl worker-lib
 * -am verify -Dtest.groups=gpu -Dtest.excludedGroups= -Dsurefire.failIfNoSpecifiedTests=false} (docs/gpu.md).
 */
@Tag("gpu")
class CudaEvaluationTest {
    /**
     * cuBLAS/cuDNN and OpenBLAS add in different orders; ten Adam steps carry the float32 rounding into the scores
     * (absolute, validation loss and accuracy; one example of 256 is 0.0039). A mask applied wrongly, or not at all,
     * moves them by far more: each check also requires the candidates to differ by more than this.
     */
    static final double CPU_TOLERANCE = 0.01;
    private static ArrayDataset fineTune;
    private static ArrayDataset validation;

    @BeforeAll
    static void cuda() throws Exception {
        assumeTrue(nvidiaSmiListsAGpu(), "no CUDA device visible (nvidia-smi -L)");
        assumeFalse(Nd4j.getEnvironment().isCPU(), "ND4J loaded its CPU backend: build with -Pcuda");
        ArrayDataset train = ShippedData.train();
        fineTune = train.slice(0, 512);
        validation = train.slice(512, 768);
    }

    @Test
    void evaluationsRunOnTheDeviceTheirTaskWasPinnedTo() throws Exception {
        int devices = Math.min(2, Nd4j.getAffinityManager().getNumberOfDevices());
        for (int d = 0; d < devices; d++) {
            int device = d;
            Workload workload = mlp(); // its arrays are made on the device of the first task that needs them
            ExecutorService thread = Executors.newSingleThreadExecutor();
            try {
                thread.submit(() -> {
                    DevicePinning.Placement p = DevicePinning.pin(new String[] {Integer.toString(device)});
                    assertTrue(p.onGpu() && p.pinned(), p.toString());
                    assertEquals(device, Nd4j.getAffinityManager().getDeviceForCurrentThread());
                    Candidate candidate = candidates(workload.layout()).get(1);
                    MaskEvaluator.Trained trained = MaskEvaluator.fineTune(workload, candidate);
                    assertEquals(device, Nd4j.getAffinityManager().getDeviceForArray(trained.network().params()),
                            "device of the fine-tuned parameters");
                    assertEquals(device, Nd4j.getAffinityManager().getDeviceForArray(
                            workload.prepared().fineTune().getFeatures()), "device of the fine-tune data");
                    assertFalse(MaskEvaluator.evaluate(workload, candidate).failed());
                    return null;
                }).get();
            } finally {
                thread.shutdownNow();
            }
        }
    }

    @Test
    void scoresMatchTheCpuBackend() throws Exception {
        List<Workload> workloads = List.of(mlp(), lenet5());
        List<List<Candidate>> candidates = new ArrayList<>();
        for (Workload w : workloads) {
            candidates.add(candidates(w.layout()));
        }
        List<List<EvaluationResult>> cpu = onTheCpuBackend(workloads, candidates);
        for (int w = 0; w < workloads.size(); w++) {
            List<EvaluationResult> gpu = onGpuZero(workloads.get(w), candidates.get(w), 1);
            assertScoresMatch(cpu.get(w), gpu, CPU_TOLERANCE, "workload " + w + " on CUDA against the CPU backend");
        }
    }

    @Test
    void concurrentEvaluationsOnOneGpuLeaveNoDeviceMemoryBehind() throws Exception {
        Workload workload = wideMlp();
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int shift = i;
            candidates.add(new Candidate(i, Mask.of(workload.layout().units(), u -> (u + shift) % 3 != 0), 40 + i));
        }
        ExecutorService four = Executors.newFixedThreadPool(4); // kept, as Spark keeps its task threads
        try {
            List<EvaluationResult> alone = onGpuZero(workload, candidates, 1);
            List<EvaluationResult> first = ConcurrentEvaluationTest.evaluate(four, workload, candidates);
            assertScoresMatch(alone, first, ConcurrentEvaluationTest.TOLERANCE, "4 at once against one at a time");
            long plateau = DeviceMemory.settledUsedBytes(0, 10);
            for (int round = 0; round < 3; round++) {
                ConcurrentEvaluationTest.evaluate(four, workload, candidates);
            }
            long after = DeviceMemory.settledUsedBytes(0, 10);
            // One evaluation holds its network's parameters, gradients and two Adam moments: 16 bytes a parameter.
            long oneEvaluation = 16L * workload.base().parameters().length;
            assertTrue(after - plateau < 2 * oneEvaluation, "24 more evaluations grew GPU 0's used memory by "
                    + (after - plateau) + " bytes; one evaluation holds about " + oneEvaluation);
        } finally {
            four.shutdownNow();
        }
    }

    static boolean nvidiaSmiListsAGpu() {
        try {
            Process p = new ProcessBuilder("nvidia-smi", "-L").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 && out.contains("GPU ");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static void assertScoresMatch(List<EvaluationResult> expected, List<EvaluationResult> actual, double tolerance,
                                  String what) {
        assertEquals(expected.size(), actual.size(), what);
        for (int i = 0; i < expected.size(); i++) {
            EvaluationResult a = expected.get(i);
            EvaluationResult b = actual.get(i);
            assertFalse(a.failed() || b.failed(), what + ": " + a.failure() + " / " + b.failure());
            assertEquals(a.parametersKept(), b.parametersKept(), what + ", parameters kept by candidate " + i);
            assertEquals(a.loss(), b.loss(), tolerance, what + ", validation loss of candidate " + i);
            assertEquals(a.accuracy(), b.accuracy(), tolerance, what + ", validation accuracy of candidate " + i);
        }
        double spread = expected.stream().mapToDouble(EvaluationResult::loss).max().orElseThrow()
                - expected.stream().mapToDouble(EvaluationResult::loss).min().orElseThrow();
        assertTrue(spread > 3 * tolerance, what + ": the candidates' losses spread only " + spread);
    }

    /** The candidates' evaluations in one thread pinned to GPU 0. */
    private static List<EvaluationResult> onGpuZero(Workload workload, List<Candidate> candidates, int threads)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            return ConcurrentEvaluationTest.evaluate(pool, workload, candidates);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The same evaluations in a second JVM on the same class path that loads the CPU backend (ND4J takes the
     * backend of highest priority; BACKEND_PRIORITY_CPU lifts the CPU's above CUDA's 100). The workloads travel as
     * Spark's broadcast carries them: plain Java arrays, built into ND4J arrays by the receiving backend.
     */
    @SuppressWarnings("unchecked")
    private static List<List<EvaluationResult>> onTheCpuBackend(List<Workload> workloads,
                                                               List<List<Candidate>> candidates) throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "tmp"));
        Path in = dir.resolve("cuda-test-workloads.ser");
        Path out = dir.resolve("cuda-test-cpu-results.ser");
        try (ObjectOutputStream o = new ObjectOutputStream(Files.newOutputStream(in))) {
            o.writeObject(new ArrayList<>(workloads));
            o.writeObject(new ArrayList<>(candidates));
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (option.startsWith("--add-") || option.startsWith("-Dorg.bytedeco") || option.startsWith("-Xmx")) {
                command.add(option);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), CpuReferenceScores.class.getName(),
                in.toString(), out.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("cuda-test-cpu-jvm.log").toFile());
        pb.environment().put("BACKEND_PRIORITY_CPU", "1000");
        Process p = pb.start();
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "the CPU JVM finished");
        assertEquals(0, p.exitValue(), "the CPU JVM failed: see " + dir.resolve("cuda-test-cpu-jvm.log"));
        try (ObjectInputStream o = new ObjectInputStream(Files.newInputStream(out))) {
            return (List<List<EvaluationResult>>) o.readObject();
        }
    }

    static List<Candidate> candidates(PrunableLayout layout) {
        int units = layout.units();
        return List.of(new Candidate(0, Mask.of(units, u -> true), 11),
                new Candidate(1, Mask.of(units, u -> u % 3 != 1), 12),
                new Candidate(2, Mask.of(units, u -> u % 2 == 0), 13),
                new Candidate(3, Mask.of(units, u -> u % 4 == 0), 14));
    }

    static Workload mlp() {
        return workload(Network.init(TestNetworks.mlp(3)), Granularity.NEURON);
    }

    static Workload lenet5() {
        return workload(Network.init(TestNetworks.lenet5(3)), Granularity.FILTER);
    }

    /** 784-1024-1024-10: about 1.8 M parameters, so that a leaked evaluation shows in the device's used memory. */
    static Workload wideMlp() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).updater(new Adam(1e-3)).list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(1024).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(1024).nOut(1024).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(1024).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build();
        return workload(Network.init(conf), Granularity.NEURON);
    }

    private static Workload workload(Network base, Granularity granularity) {
        PrunableLayout layout = PrunableLayout.of(base.configuration(), granularity);
        return new Workload(NetworkBlueprint.of(base), fineTune, validation, layout,
                new FineTuneSettings(1, 10, 32, 0.01), new Fitness(0.5, 0.5), 1, null);
    }
}
