package io.evoprune.bench;

import io.evoprune.evaluation.Candidate;
import io.evoprune.evaluation.DeviceMemory;
import io.evoprune.evaluation.Workload;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Item 7: the same candidates evaluated 1, 2, 4 and 8 at a time in one executor JVM on one device, each thread
 * pinned to GPU 0 as a task given a share of it is (with the CPU build: this machine's CPU), and the GPU memory
 * the evaluations in flight hold (DeviceMemory: not measurable on the CPU backend). The GPU figures of issue 7
 * come from running this with the CUDA build.
 */
final class DeviceConcurrency {
    /**
     * @param peakMiB          the most GPU memory in use beyond what was in use before the batch; null on the CPU
     * @param mibPerEvaluation that peak shared by the evaluations in flight; null on the CPU
     */
    record Level(int concurrent, double seconds, double evaluationsPerSecond, double meanValidationAccuracy,
                 double speedup, Double peakMiB, Double mibPerEvaluation) {
    }

    record Result(String backend, String memory, int evaluations, List<Level> levels) {
    }

    private DeviceConcurrency() {
    }

    static Result run(ReferenceSetup setup, List<Integer> levels, int count, PrintStream console)
            throws InterruptedException {
        Workload workload = setup.workload;
        List<Candidate> candidates = setup.candidates(count, 11);
        TimedBatch.loop(workload, candidates.subList(0, Math.min(2, count)), 1); // warm-up: JIT, the workload's arrays
        boolean cpu = Nd4j.getEnvironment().isCPU();
        String backend = cpu ? "CPU" : "CUDA";
        List<Level> results = new ArrayList<>();
        double first = Double.NaN;
        for (int concurrent : levels) {
            // Memory in use once garbage collection has let ND4J free what the last batch left unreachable.
            long before = cpu ? 0 : DeviceMemory.settledUsedBytes(0, 5);
            PeakSampler sampler = new PeakSampler("bench-memory-sampler", () -> DeviceMemory.usedBytes(0), 10, before);
            if (!cpu) {
                sampler.start();
            }
            TimedBatch batch;
            try {
                batch = TimedBatch.loop(workload, candidates, concurrent);
            } finally {
                sampler.stop();
            }
            if (Double.isNaN(first)) {
                first = batch.seconds();
            }
            Double peakMiB = cpu ? null : (sampler.peak() - before) / (1024.0 * 1024.0);
            Level level = new Level(concurrent, batch.seconds(), batch.evaluationsPerSecond(), batch.meanAccuracy(),
                    first / batch.seconds(), peakMiB, cpu ? null : peakMiB / Math.min(concurrent, count));
            console.printf(Locale.ROOT, "bench: device  %d at once  %6.1f s  %.3f evals/s  acc %.4f  x%.2f%s%n",
                    concurrent, level.seconds(), level.evaluationsPerSecond(), level.meanValidationAccuracy(),
                    level.speedup(), cpu ? "" : String.format(Locale.ROOT, "  peak +%.0f MiB (%.1f MiB per "
                            + "evaluation in flight)", peakMiB, level.mibPerEvaluation()));
            results.add(level);
        }
        return new Result(backend, DeviceMemory.what(0), count, results);
    }
}
