package io.evoprune.bench;

import io.evoprune.evaluation.Candidate;
import io.evoprune.evaluation.DevicePinning;
import io.evoprune.evaluation.EvaluationResult;
import io.evoprune.evaluation.MaskEvaluator;
import io.evoprune.evaluation.Workload;
import io.evoprune.search.BatchEvaluator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One batch of evaluations, its wall time and the CPU time this JVM spent meanwhile (every thread: evaluations,
 * garbage collection, JIT, ND4J's deallocator threads), evaluated through Spark or in a plain loop of threads.
 */
record TimedBatch(List<EvaluationResult> results, double seconds, double cpuSeconds) {

    /** The batch as one Spark job (one generation of the farm). */
    static TimedBatch spark(BatchEvaluator farm, int generation, List<Candidate> candidates) {
        long cpu = cpuNanos();
        long start = System.nanoTime();
        List<EvaluationResult> results = farm.evaluate(generation, candidates);
        return new TimedBatch(results, seconds(start), (cpuNanos() - cpu) / 1e9);
    }

    /**
     * The batch in this JVM, {@code threads} evaluations at a time, each thread taking the next candidate as it
     * finishes one (as Spark's task slots do): the same work as a Spark job without Spark. Each thread is pinned
     * to GPU 0 as a task assigned it would be (with the CUDA build).
     */
    static TimedBatch loop(Workload workload, List<Candidate> candidates, int threads) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long cpu = cpuNanos();
            long start = System.nanoTime();
            List<Future<EvaluationResult>> pending = new ArrayList<>();
            for (Candidate c : candidates) {
                pending.add(pool.submit(() -> {
                    if (!Nd4j.getEnvironment().isCPU()) {
                        DevicePinning.pin(new String[] {"0"});
                    }
                    return MaskEvaluator.evaluate(workload, c);
                }));
            }
            List<EvaluationResult> results = new ArrayList<>();
            for (Future<EvaluationResult> f : pending) {
                results.add(f.get());
            }
            return new TimedBatch(results, seconds(start), (cpuNanos() - cpu) / 1e9);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while evaluating", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("An evaluation failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Cores this JVM kept busy on average (in local mode the evaluations run here too). */
    double coresBusy() {
        return cpuSeconds / seconds;
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    double evaluationsPerSecond() {
        return results.size() / seconds;
    }

    double meanAccuracy() {
        return results.stream().mapToDouble(EvaluationResult::accuracy).average().orElse(Double.NaN);
    }

    /** Whether both batches scored every candidate alike (evaluation is a pure function of mask and seed). */
    boolean sameScores(TimedBatch other) {
        if (results.size() != other.results.size()) {
            return false;
        }
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i).fitness() != other.results.get(i).fitness()) {
                return false;
            }
        }
        return true;
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
