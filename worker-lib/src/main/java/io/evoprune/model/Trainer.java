package io.evoprune.model;

import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Minibatch training with a seeded shuffle and a seeded ND4J generator, so the same seed gives the same updates on
 * any machine, whatever ran before on the thread.
 */
public final class Trainer {
    private Trainer() {
    }

    /**
     * Trains {@code epochs} passes over {@code data} in shuffled batches, stopping early after
     * {@code maxBatches} batches when that is positive. Returns the number of batches run.
     */
    public static int fit(Network net, DataSet data, int epochs, int batchSize, int maxBatches, long seed) {
        int n = data.numExamples();
        INDArray features = data.getFeatures();
        INDArray labels = data.getLabels();
        Random random = new Random(seed);
        // Dropout (and any other random op in training) draws from ND4J's per-thread generator: seeded here, an
        // evaluation does not depend on what ran before it on the thread.
        Nd4j.getRandom().setSeed(seed);
        int batches = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            int[] order = permutation(n, random);
            for (int start = 0; start < n; start += batchSize) {
                if (maxBatches > 0 && batches >= maxBatches) {
                    return batches;
                }
                if (shuttingDown()) { // SIGTERM: stop within a batch, so the driver can say so and exit in time
                    throw new IllegalStateException("training stopped: the JVM is shutting down (SIGTERM or Ctrl-C)");
                }
                int[] rows = java.util.Arrays.copyOfRange(order, start, Math.min(n, start + batchSize));
                net.fit(rows(features, rows), rows(labels, rows));
                batches++;
            }
        }
        return batches;
    }

    /** Whether the JVM is shutting down (SIGTERM, Ctrl-C): shutdown hooks can no longer be added then. */
    public static boolean shuttingDown() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    /**
     * The given examples of an array of any rank (images are [n, c, h, w] or [n, h, w, c]), copied by one native
     * gather. INDArray.getRows makes a view per row, and each view is an off-heap buffer that ND4J tracks with
     * several Java objects: a batch of 128 cost thousands of them, and their garbage dominated an evaluation.
     */
    static INDArray rows(INDArray data, int[] rows) {
        long[] shape = data.shape();
        INDArray flat = data.rank() == 2 ? data : data.reshape('c', shape[0], data.length() / shape[0]);
        INDArray picked = Nd4j.pullRows(flat, 1, rows, 'c');
        if (data.rank() == 2) {
            return picked;
        }
        long[] pickedShape = shape.clone();
        pickedShape[0] = rows.length;
        return picked.reshape('c', pickedShape);
    }

    private static int[] permutation(int n, Random random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
