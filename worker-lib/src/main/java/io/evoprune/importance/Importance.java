package io.evoprune.importance;

import io.evoprune.mask.Granularity;
import io.evoprune.mask.LayerGraph;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.model.Network;
import java.util.List;
import java.util.SplittableRandom;
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
    public static UnitScores score(Criterion criterion, Network net, PrunableLayout layout, DataSet sample,
                                   int batchSize, long seed) {
        String what = "Importance criterion '" + criterion.configName() + "'";
        if (layout.granularity() == Granularity.WEIGHT) {
            return new UnitScores(criterion, weightScores(criterion, net, layout, sample, batchSize, seed, what));
        }
        requireDenseNeurons(net, layout, what);
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

    /** The criteria that score single weights (granularity {@code weight}): the others score whole units. */
    public static final java.util.Set<Criterion> WEIGHT_CRITERIA =
            java.util.EnumSet.of(Criterion.MAGNITUDE, Criterion.TAYLOR, Criterion.RANDOM);

    /**
     * Scores of single weights, bit u of a segment being element u of its layer's W (as masks apply them): |w|,
     * the Taylor term |g * w| accumulated over the sample's batches, or random.
     */
    private static double[] weightScores(Criterion criterion, Network net, PrunableLayout layout, DataSet sample,
                                         int batchSize, long seed, String what) {
        if (!WEIGHT_CRITERIA.contains(criterion)) {
            throw new IllegalArgumentException(what + " scores whole neurons; with granularity 'weight' use one of "
                    + WEIGHT_CRITERIA.stream().map(Criterion::configName).toList());
        }
        if (criterion == Criterion.RANDOM) {
            return random(layout.units(), seed);
        }
        if (criterion == Criterion.TAYLOR && !(net.model() instanceof MultiLayerNetwork)) {
            throw new IllegalArgumentException(what + " supports MultiLayerNetworks only; this network is a "
                    + net.kind());
        }
        INDArray values = criterion == Criterion.MAGNITUDE ? Transforms.abs(net.params(), true)
                : taylorProducts(net, sample, batchSize);
        float[] flat = values.castTo(DataType.FLOAT).toFloatVector();
        double[] scores = new double[layout.units()];
        for (PrunableLayout.Segment s : layout.segments()) {
            int start = Math.toIntExact(io.evoprune.mask.MaskApplier.paramStart(net, producer(s), "W"));
            for (int u = 0; u < s.units(); u++) {
                scores[s.offset() + u] = flat[start + u];
            }
        }
        return scores;
    }

    /**
     * The criteria and the pruners built on them read a unit as a dense layer's output column, its bias and the
     * next dense layers' input rows: neurons of a MultiLayerNetwork of dense layers. Anything else is refused
     * here, naming what does not fit, rather than scored wrongly.
     */
    public static void requireDenseNeurons(Network net, PrunableLayout layout, String what) {
        if (layout.granularity() != Granularity.NEURON) {
            throw new IllegalArgumentException(what + " scores neurons of dense layers; granularity '"
                    + layout.granularity().configName() + "' is not supported (use mask.granularity=neuron)");
        }
        if (!(net.model() instanceof MultiLayerNetwork)) {
            throw new IllegalArgumentException(what + " supports MultiLayerNetwork MLPs only; this network is a "
                    + net.kind());
        }
        for (PrunableLayout.Segment s : layout.segments()) {
            boolean dense = s.producers().size() == 1 && s.followers().isEmpty()
                    && net.param(s.producers().get(0), "W") != null && net.param(s.producers().get(0), "W").rank() == 2
                    && s.consumers().stream().allMatch(c -> c.kind() == PrunableLayout.InputKind.DENSE_ROWS
                    && c.spatial() == 0 && c.channelOffset() == 0);
            if (!dense) {
                throw new IllegalArgumentException(what + " supports dense layers feeding dense layers only, but layer '"
                        + s.name() + "' is not one (convolution, batch normalisation, merge or flatten)");
            }
        }
    }

    private static String producer(PrunableLayout.Segment s) {
        return s.producers().get(0);
    }

    private static double[] magnitude(Network net, PrunableLayout layout) {
        INDArray abs = Transforms.abs(net.params(), true);
        double[] sums = unitSums(net, layout, abs, true);
        double[] scores = new double[layout.units()];
        for (PrunableLayout.Segment s : layout.segments()) {
            long nIn = net.param(producer(s), "W").size(0);
            long nOut = s.consumers().stream().mapToLong(c -> net.param(c.layer(), "W").size(1)).sum();
            boolean bias = net.param(producer(s), "b") != null;
            double count = nIn + nOut + (bias ? 1 : 0);
            for (int u = 0; u < s.units(); u++) {
                scores[s.offset() + u] = sums[s.offset() + u] / count;
            }
        }
        return scores;
    }

    private static double[] incomingL1(Network net, PrunableLayout layout) {
        return unitSums(net, layout, Transforms.abs(net.params(), true), false);
    }

    private static double[] taylor(Network network, PrunableLayout layout, DataSet sample, int batchSize) {
        return unitSums(network, layout, taylorProducts(network, sample, batchSize), true);
    }

    /** |g * w| for every parameter, summed over the sample's batches (laid out like the flat parameters). */
    private static INDArray taylorProducts(Network network, DataSet sample, int batchSize) {
        MultiLayerNetwork net = (MultiLayerNetwork) network.model();
        INDArray total = null;
        for (DataSet batch : batches(sample, batchSize)) {
            net.setInput(batch.getFeatures());
            net.setLabels(batch.getLabels());
            net.computeGradientAndScore();
            INDArray product = Transforms.abs(net.gradient().gradient().mul(net.params()), false);
            total = total == null ? product : total.addi(product);
        }
        net.clear();
        return total;
    }

    private static double[] activations(Network network, PrunableLayout layout, DataSet sample, int batchSize,
                                        boolean nonZeroFraction) {
        MultiLayerNetwork net = (MultiLayerNetwork) network.model();
        double[] sums = new double[layout.units()];
        long examples = 0;
        for (DataSet batch : batches(sample, batchSize)) {
            List<INDArray> acts = net.feedForward(batch.getFeatures(), false);
            for (PrunableLayout.Segment s : layout.segments()) {
                INDArray a = acts.get(index(net, producer(s)) + 1); // entry 0 is the input; i + 1 is layer i's output
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
    static double[] unitSums(Network net, PrunableLayout layout, INDArray values, boolean whole) {
        Network twin = Network.create(net.configuration(), values.castTo(net.dataType()).dup());
        double[] sums = new double[layout.units()];
        for (PrunableLayout.Segment s : layout.segments()) {
            INDArray incoming = twin.param(producer(s), "W").sum(0);
            INDArray bias = twin.param(producer(s), "b");
            INDArray outgoing = null;
            for (PrunableLayout.Input c : s.consumers()) {
                INDArray rows = twin.param(c.layer(), "W").sum(1);
                outgoing = outgoing == null ? rows : outgoing.add(rows);
            }
            for (int u = 0; u < s.units(); u++) {
                double v = incoming.getDouble(u);
                if (whole) {
                    v += (bias != null ? bias.getDouble(u) : 0) + (outgoing != null ? outgoing.getDouble(u) : 0);
                }
                sums[s.offset() + u] = v;
            }
        }
        return sums;
    }

    private static int index(MultiLayerNetwork net, String name) {
        var confs = net.getLayerWiseConfigurations().getConfs();
        for (int i = 0; i < confs.size(); i++) {
            if (LayerGraph.layerName(confs.get(i).getLayer(), i).equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("The network has no layer named '" + name + "'");
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
