package io.evoprune.importance;

import io.evoprune.mask.Granularity;
import io.evoprune.mask.PrunableLayout;
import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Computes a unit-level importance score for every prunable unit of a network, once, before a search or a
 * classic pruner runs. Data-free criteria read the weights; data-driven ones (Taylor, activation, APoZ) run
 * the network over a few batches of sample examples. Nothing here changes the network.
 */
public final class Importance {
    private Importance() {
    }

    /**
     * Scores the units of {@code layout} by {@code criterion}.
     *
     * @param sample    examples for the data-driven criteria (cut into batches of {@code batchSize})
     * @param seed      the random criterion's seed
     */
    public static UnitScores score(Criterion criterion, MultiLayerNetwork net, PrunableLayout layout, DataSet sample,
                                   int batchSize, long seed) {
        if (layout.granularity() != Granularity.NEURON) {
            throw new IllegalArgumentException("Importance criteria score neurons; granularity '"
                    + layout.granularity().configName() + "' is not supported");
        }
        double[] scores = switch (criterion) {
            case MAGNITUDE -> magnitude(net, layout);
            case L1 -> incomingL1(net, layout);
            case TAYLOR -> taylor(net, layout, sample, batchSize);
            case ACTIVATION -> activations(net, layout, sample, batchSize, false);
            case APOZ -> activations(net, layout, sample, batchSize, true);
            case RANDOM -> random(layout.units(), seed);
        };
        return new UnitScores(criterion, scores);
    }

    private static double[] magnitude(MultiLayerNetwork net, PrunableLayout layout) {
        INDArray abs = Transforms.abs(net.params(), true);
        double[] sums = unitSums(net, layout, abs, true);
        double[] scores = new double[layout.units()];
        for (PrunableLayout.Segment s : layout.segments()) {
            long nIn = net.getLayer(s.layer()).getParam("W").size(0);
            long nOut = net.getLayer(s.consumer()).getParam("W").size(1);
            boolean bias = net.getLayer(s.layer()).paramTable().containsKey("b");
            double count = nIn + nOut + (bias ? 1 : 0);
            for (int u = 0; u < s.units(); u++) {
                scores[s.offset() + u] = sums[s.offset() + u] / count;
            }
        }
        return scores;
    }

    private static double[] incomingL1(MultiLayerNetwork net, PrunableLayout layout) {
        return unitSums(net, layout, Transforms.abs(net.params(), true), false);
    }

    private static double[] taylor(MultiLayerNetwork net, PrunableLayout layout, DataSet sample, int batchSize) {
        INDArray total = null;
        for (DataSet batch : batches(sample, batchSize)) {
            net.setInput(batch.getFeatures());
            net.setLabels(batch.getLabels());
            net.computeGradientAndScore();
            INDArray product = Transforms.abs(net.gradient().gradient().mul(net.params()), false);
            total = total == null ? product : total.addi(product);
        }
        net.clear();
        return unitSums(net, layout, total, true);
    }

    private static double[] activations(MultiLayerNetwork net, PrunableLayout layout, DataSet sample, int batchSize,
                                        boolean nonZeroFraction) {
        double[] sums = new double[layout.units()];
        long examples = 0;
        for (DataSet batch : batches(sample, batchSize)) {
            List<INDArray> acts = net.feedForward(batch.getFeatures(), false);
            for (PrunableLayout.Segment s : layout.segments()) {
                INDArray a = acts.get(s.layer() + 1); // entry 0 is the input; entry i + 1 is layer i's output
                INDArray perUnit = nonZeroFraction ? a.neq(0).castTo(DataType.DOUBLE).sum(0) : a.sum(0);
                for (int u = 0; u < s.units(); u++) {
                    sums[s.offset() + u] += perUnit.getDouble(u);
                }
            }
            examples += batch.numExamples();
        }
        for (int i = 0; i < sums.length; i++) {
            sums[i] /= examples;
        }
        return sums;
    }

    private static double[] random(int units, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] scores = new double[units];
        for (int i = 0; i < units; i++) {
            scores[i] = random.nextDouble();
        }
        return scores;
    }

    /**
     * Per-unit sums of {@code values} (laid out like the network's flat parameters) over the unit's incoming
     * weights, and, when {@code whole}, also its bias and outgoing weights: everything pruning it zeroes.
     */
    static double[] unitSums(MultiLayerNetwork net, PrunableLayout layout, INDArray values, boolean whole) {
        MultiLayerNetwork twin = new MultiLayerNetwork(net.getLayerWiseConfigurations().clone());
        twin.init(values.castTo(net.params().dataType()).dup(), false);
        double[] sums = new double[layout.units()];
        for (PrunableLayout.Segment s : layout.segments()) {
            Layer layer = twin.getLayer(s.layer());
            INDArray incoming = layer.getParam("W").sum(0);
            INDArray bias = layer.paramTable().containsKey("b") ? layer.getParam("b") : null;
            INDArray outgoing = twin.getLayer(s.consumer()).getParam("W").sum(1);
            for (int u = 0; u < s.units(); u++) {
                double v = incoming.getDouble(u);
                if (whole) {
                    v += (bias != null ? bias.getDouble(u) : 0) + outgoing.getDouble(u);
                }
                sums[s.offset() + u] = v;
            }
        }
        return sums;
    }

    private static List<DataSet> batches(DataSet sample, int batchSize) {
        int n = sample.numExamples();
        if (n == 0) {
            throw new IllegalArgumentException("Data-driven importance needs sample examples, but got none");
        }
        List<DataSet> batches = new java.util.ArrayList<>();
        for (int start = 0; start < n; start += batchSize) {
            int end = Math.min(n, start + batchSize);
            batches.add(new DataSet(sample.getFeatures().get(NDArrayIndex.interval(start, end), NDArrayIndex.all()),
                    sample.getLabels().get(NDArrayIndex.interval(start, end), NDArrayIndex.all())));
        }
        return batches;
    }
}
