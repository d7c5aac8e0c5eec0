package io.evoprune.bench;

import io.evoprune.model.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The machine's dense matrix-multiply rate on ND4J's backend at the layer sizes of a fine-tune: for every weight
 * matrix W [in x out] and a batch of B, the three products of one training step (forward X.W, weight gradient
 * X'.D, input gradient D.W'), timed back to back as a step runs them. This is the best one training step can do
 * on these shapes; an evaluation also runs activations, the loss, the updater and the data shuffling around them.
 */
final class GemmPeak {
    private GemmPeak() {
    }

    /** One weight matrix's shape. */
    record Shape(long in, long out) {
    }

    /** The weight matrices of a network's layers, in order. */
    static List<Shape> shapes(Network net) {
        Layer[] layers = net.model() instanceof MultiLayerNetwork mln ? mln.getLayers()
                : ((ComputationGraph) net.model()).getLayers();
        List<Shape> shapes = new ArrayList<>();
        for (Layer layer : layers) {
            INDArray w = layer.paramTable().get("W");
            if (w != null && w.rank() == 2) {
                shapes.add(new Shape(w.size(0), w.size(1)));
            }
        }
        return shapes;
    }

    /**
     * FLOPs per second of {@code concurrent} threads, each running the training-step products of {@code shapes} at
     * batch {@code batch} in float32 for about {@code seconds} after a warm-up: the aggregate rate.
     */
    static double flopsPerSecond(List<Shape> shapes, int batch, int concurrent, double seconds) {
        double[] rates = new double[concurrent];
        CountDownLatch ready = new CountDownLatch(concurrent);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < concurrent; t++) {
            int slot = t;
            Thread thread = new Thread(() -> {
                Step step = new Step(shapes, batch);
                for (int i = 0; i < 20; i++) {
                    step.run();
                }
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                long start = System.nanoTime();
                long deadline = start + (long) (seconds * 1e9);
                long steps = 0;
                while (System.nanoTime() < deadline) {
                    step.run();
                    steps++;
                }
                rates[slot] = steps * step.flops / ((System.nanoTime() - start) / 1e9);
            }, "gemm-peak-" + t);
            threads.add(thread);
            thread.start();
        }
        try {
            ready.await();
            go.countDown();
            for (Thread thread : threads) {
                thread.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while timing gemm", e);
        }
        double total = 0;
        for (double r : rates) {
            total += r;
        }
        return total;
    }

    /** The matrix products of one training step, on arrays allocated once. */
    private static final class Step {
        private final List<INDArray[]> products = new ArrayList<>();
        private final double flops;

        Step(List<Shape> shapes, int batch) {
            double f = 0;
            for (Shape s : shapes) {
                INDArray x = Nd4j.rand(DataType.FLOAT, batch, s.in());
                INDArray w = Nd4j.rand(DataType.FLOAT, s.in(), s.out());
                INDArray d = Nd4j.rand(DataType.FLOAT, batch, s.out());
                products.add(new INDArray[] {x, w, Nd4j.create(DataType.FLOAT, batch, s.out())});
                products.add(new INDArray[] {x, d, Nd4j.create(DataType.FLOAT, s.in(), s.out())});
                products.add(new INDArray[] {d, w, Nd4j.create(DataType.FLOAT, batch, s.in())});
                f += 3 * 2.0 * batch * s.in() * s.out();
            }
            this.flops = f;
        }

        void run() {
            for (int i = 0; i < products.size(); i++) {
                INDArray[] p = products.get(i);
                // forward X.W, weight gradient X'.D, input gradient D.W'
                switch (i % 3) {
                    case 0 -> Nd4j.gemm(p[0], p[1], p[2], false, false, 1.0, 0.0);
                    case 1 -> Nd4j.gemm(p[0], p[1], p[2], true, false, 1.0, 0.0);
                    default -> Nd4j.gemm(p[0], p[1], p[2], false, true, 1.0, 0.0);
                }
            }
        }
    }
}
