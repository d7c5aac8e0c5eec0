package io.evoprune.rebuild;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import io.evoprune.model.Flops;
import io.evoprune.model.Network;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What one network costs at inference, measured on this machine: size, multiply-adds, file size, latency and
 * peak memory.
 *
 * <p>Peak memory: ND4J keeps parameters and activations off the Java heap, so heap figures say nothing, and the
 * process's resident set moves by tens of MB with JIT and GC while a small network needs about one. The figure
 * is therefore ND4J's own account, taken in a fresh thread (ND4J's workspaces are per thread): the parameter
 * buffer, plus the inference workspaces after warm runs (DL4J sizes them to the largest activations a forward
 * pass holds at once, so their size is the activation peak), plus the input and output arrays. (JavaCPP's own
 * byte counters do not see ND4J's buffers, which libnd4j allocates itself, so they cannot serve here.)
 *
 * @param parameters          trainable and state parameters (e.g. batch-norm statistics)
 * @param multiplyAdds        multiply-adds per example ({@link Flops})
 * @param fileBytes           ModelSerializer zip without updater state, as a deployable model is shipped
 * @param latencyBatch1Ms     median milliseconds of one inference of one example
 * @param latencyBatchNMs     median milliseconds of one inference of {@code batch} examples
 * @param latencyBatch1MinMs  fastest of the timed runs of one example: the figure least moved by other load
 * @param latencyBatchNMinMs  fastest of the timed runs of {@code batch} examples
 * @param peakInferenceBytes  ND4J off-heap bytes of a batch-{@code batch} inference (see above)
 */
public record Footprint(long parameters, long multiplyAdds, long fileBytes, int batch, int repeats,
                        double latencyBatch1Ms, double latencyBatchNMs, double latencyBatch1MinMs,
                        double latencyBatchNMinMs, long parameterBytes,
                        long workspaceBytes, long ioBytes, long peakInferenceBytes) {

    /** How latency is measured: {@code warmup} untimed runs, then the median of {@code repeats} timed ones. */
    public record Settings(int batch, int warmup, int repeats) {
        public Settings {
            io.evoprune.evaluation.Checks.atLeast("rebuild.measure.batch-size", batch, 1);
            io.evoprune.evaluation.Checks.atLeast("rebuild.measure.warmup", warmup, 0);
            io.evoprune.evaluation.Checks.atLeast("rebuild.measure.repeats", repeats, 1);
        }
    }

    /**
     * Measures several networks on rows of {@code features} (at least {@code settings.batch()} rows). Their
     * timed runs are interleaved, round by round, so that load from other processes falls on all of them alike.
     */
    public static java.util.List<Footprint> measure(java.util.List<Network> models, INDArray features,
                                                    Settings settings) {
        if (features.size(0) < settings.batch()) {
            throw new IllegalArgumentException("Measuring latency at batch " + settings.batch() + " needs as many examples, "
                    + "but only " + features.size(0) + " were given");
        }
        INDArray one = features.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1)).dup();
        INDArray batch = features.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, settings.batch())).dup();
        int n = models.size();
        for (int i = 0; i < settings.warmup(); i++) {
            for (Network m : models) {
                m.output(one);
                m.output(batch);
            }
        }
        double[][] ms1 = new double[n][settings.repeats()];
        double[][] msN = new double[n][settings.repeats()];
        for (int r = 0; r < settings.repeats(); r++) {
            for (int m = 0; m < n; m++) {
                ms1[m][r] = millis(models.get(m), one);
                msN[m][r] = millis(models.get(m), batch);
            }
        }
        java.util.List<Footprint> out = new java.util.ArrayList<>();
        for (int m = 0; m < n; m++) {
            Network model = models.get(m);
            long[] memory = peakMemory(model, batch);
            long parameterBytes = model.params().length() * model.dataType().width();
            long io = batch.length() * batch.dataType().width() + memory[1];
            out.add(new Footprint(model.numParams(), Flops.multiplyAdds(model, one), fileBytes(model), settings.batch(),
                    settings.repeats(), median(ms1[m]), median(msN[m]), Arrays.stream(ms1[m]).min().orElseThrow(),
                    Arrays.stream(msN[m]).min().orElseThrow(), parameterBytes, memory[0], io,
                    parameterBytes + memory[0] + io));
        }
        return out;
    }

    static long fileBytes(Network model) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ModelSerializer.writeModel(model.model(), bytes, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.size();
    }

    private static double millis(Network model, INDArray x) {
        long start = System.nanoTime();
        model.output(x);
        return (System.nanoTime() - start) / 1e6;
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** {workspace bytes, output bytes} of inference on {@code x}, in a fresh thread with no workspaces yet. */
    private static long[] peakMemory(Network model, INDArray x) {
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        long[] result = new long[2];
        Thread thread = new Thread(() -> {
            try {
                for (int i = 0; i < 3; i++) {
                    INDArray out = model.output(x);
                    result[1] = out.length() * out.dataType().width();
                }
                for (MemoryWorkspace ws : Nd4j.getWorkspaceManager().getAllWorkspacesForCurrentThread()) {
                    result[0] += ws.getCurrentSize();
                }
                Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
            } catch (RuntimeException e) {
                failure.set(e);
            }
        }, "evoprune-footprint");
        thread.start();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while measuring memory", e);
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return result;
    }
}
