package io.evoprune.importance;

import io.evoprune.mask.Granularity;
import io.evoprune.mask.LayerGraph;
import io.evoprune.mask.MaskApplier;
import io.evoprune.mask.MaskApplier.UnitPart;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.model.Network;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Computes a unit-level importance score for every prunable unit of a network, once, before a search or a
 * classic pruner runs: neurons or filters of either network kind (a unit's parameters are the ones its mask zeroes,
 * {@link MaskApplier#unitSums}), or single weights. Data-free criteria read the weights; data-driven ones (Taylor,
 * activation, APoZ) run the network over a few batches of sample examples. Nothing here changes the network.
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
        double[] scores = switch (criterion) {
            case MAGNITUDE -> magnitude(net, layout);
            case L1 -> MaskApplier.unitSums(net, layout, abs(net.params()), UnitPart.OWN_WEIGHTS);
            case TAYLOR -> taylor(net, sample, batchSize, seed,
                    terms -> MaskApplier.unitSums(net, layout, terms, UnitPart.CONSUMER_WEIGHTS));
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
     * the Taylor term (g * w)^2 averaged over the sample's batches, or random.
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
        double[] flat = criterion == Criterion.MAGNITUDE ? toDouble(abs(net.params()))
                : taylor(net, sample, batchSize, seed, Importance::toDouble);
        double[] scores = new double[layout.units()];
        for (PrunableLayout.Segment s : layout.segments()) {
            int start = Math.toIntExact(MaskApplier.paramStart(net, producer(s), "W"));
            for (int u = 0; u < s.units(); u++) {
                scores[s.offset() + u] = flat[start + u];
            }
        }
        return scores;
    }

    /** The pruners that remove whole units refuse single-weight layouts, naming themselves. */
    public static void requireUnits(PrunableLayout layout, String what) {
        if (layout.granularity() == Granularity.WEIGHT) {
            throw new IllegalArgumentException(what + " removes whole neurons or filters; granularity 'weight' is not"
                    + " supported (use mask.granularity=neuron or filter)");
        }
    }

    private static String producer(PrunableLayout.Segment s) {
        return s.producers().get(0);
    }

    /** The mean |value| over every trained parameter pruning the unit removes. */
    private static double[] magnitude(Network net, PrunableLayout layout) {
        double[] sums = MaskApplier.unitSums(net, layout, abs(net.params()), UnitPart.TRAINED);
        float[] ones = new float[Math.toIntExact(net.numParams())];
        java.util.Arrays.fill(ones, 1f);
        double[] counts = MaskApplier.unitSums(net, layout, ones, UnitPart.TRAINED);
        for (int i = 0; i < sums.length; i++) {
            sums[i] /= counts[i];
        }
        return sums;
    }

    private static float[] abs(INDArray values) {
        return Transforms.abs(values, true).castTo(DataType.FLOAT).toFloatVector();
    }

    private static double[] toDouble(float[] values) {
        double[] d = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            d[i] = values[i];
        }
        return d;
    }

    /**
     * Molchanov et al. 2019's first-order Taylor importance: per batch, the first-order change of the loss when a
     * group of parameters is zeroed, -sum of g * w over the group (g the gradient of the batch's mean loss), squared,
     * then averaged over the sample's batches. {@code groups} sums the per-parameter terms g * w (laid out like the
     * flat parameters) into groups: a unit's group is the consumers' weights that read it, whose zeroing removes
     * the unit's output exactly (Molchanov et al. 2017's |dC/dh * h|, aggregated over the batch); a single weight is
     * a group of its own. Signs cancel inside a group, so a unit whose removal leaves the loss unchanged scores 0.
     */
    private static double[] taylor(Network net, DataSet sample, int batchSize, long seed,
                                   java.util.function.Function<float[], double[]> groups) {
        Nd4j.getRandom().setSeed(seed); // gradients are taken in training mode: dropout draws from it
        List<DataSet> batches = batches(sample, batchSize);
        double[] importance = null;
        for (DataSet batch : batches) {
            // DL4J's gradient is that of the batch's summed loss: per example, as the mean loss the updater uses.
            INDArray gradient = net.gradient(batch.getFeatures(), batch.getLabels()).div(batch.numExamples());
            double[] change = groups.apply(gradient.muli(net.params()).castTo(DataType.FLOAT).toFloatVector());
            if (importance == null) {
                importance = new double[change.length];
            }
            for (int i = 0; i < change.length; i++) {
                importance[i] += change[i] * change[i] / batches.size();
            }
        }
        net.clear();
        return importance;
    }

    /**
     * The mean output of each unit over the sample (over every position, for a filter), or with
     * {@code nonZeroFraction} the share of those outputs that are not zero (1 - APoZ), where it is
     * {@link #observed}. A unit tied across several
     * producers (an elementwise add) is averaged over them.
     */
    private static double[] activations(Network net, PrunableLayout layout, DataSet sample, int batchSize,
                                        boolean nonZeroFraction) {
        double[] sums = new double[layout.units()];
        double[] counts = new double[layout.units()];
        LayerGraph graph = LayerGraph.of(net.configuration());
        Map<String, String> observedAt = new java.util.HashMap<>();
        layout.segments().forEach(s -> s.producers().forEach(p -> observedAt.put(p, observed(graph, p))));
        for (DataSet batch : batches(sample, batchSize)) {
            Map<String, INDArray> acts = net.activations(batch.getFeatures());
            for (PrunableLayout.Segment s : layout.segments()) {
                for (String producer : s.producers()) {
                    INDArray a = acts.get(observedAt.get(producer));
                    int channel = channelDimension(net, producer, a);
                    INDArray values = nonZeroFraction ? a.neq(0).castTo(DataType.DOUBLE) : a.castTo(DataType.DOUBLE);
                    int[] others = java.util.stream.IntStream.range(0, a.rank()).filter(d -> d != channel).toArray();
                    INDArray perUnit = values.sum(others);
                    double positions = a.length() / (double) a.size(channel);
                    for (int u = 0; u < s.units(); u++) {
                        sums[s.offset() + u] += perUnit.getDouble(u);
                        counts[s.offset() + u] += positions;
                    }
                }
            }
        }
        net.clear();
        for (int i = 0; i < sums.length; i++) {
            sums[i] /= counts[i];
        }
        return sums;
    }

    /**
     * Where a unit's output is observed: the last nonlinearity on its way to the next weighted layer, through the
     * batch normalisations and activation or dropout layers that only it feeds. conv (identity) -> BN -> ReLU is
     * scored after the ReLU (the conv's own output is rarely zero); dense (ReLU) -> BN on the ReLU, since the
     * batch norm maps its zeros to nonzero values.
     */
    static String observed(LayerGraph graph, String producer) {
        String observed = producer;
        String at = producer;
        while (true) {
            List<LayerGraph.Node> next = graph.consumers(at);
            if (next.size() != 1) {
                return observed;
            }
            LayerGraph.Node n = next.get(0);
            boolean passesUnits = n.layer() instanceof BatchNormalization || n.layer() instanceof ActivationLayer
                    || n.layer() instanceof DropoutLayer;
            if (!passesUnits || n.preProcessor() != null || n.inputs().size() != 1) {
                return observed;
            }
            at = n.name();
            IActivation fn = LayerGraph.activation(n.layer());
            if (fn != null && !(fn instanceof ActivationIdentity)) { // a nonlinearity: observe after it
                observed = at;
            }
        }
    }

    private static double[] random(int units, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] scores = new double[units];
        for (int i = 0; i < units; i++) {
            scores[i] = random.nextDouble();
        }
        return scores;
    }

    /** Where a layer's output keeps its units: 1 for dense [batch, units] and NCHW maps, 3 for NHWC maps. */
    private static int channelDimension(Network net, String layer, INDArray output) {
        var conf = net.layer(layer).conf().getLayer();
        if (output.rank() == 4 && conf instanceof ConvolutionLayer conv && conv.getCnn2dDataFormat() == CNN2DFormat.NHWC) {
            return 3;
        }
        return 1;
    }

    private static List<DataSet> batches(DataSet sample, int batchSize) {
        int n = sample.numExamples();
        if (n == 0) {
            throw new IllegalArgumentException("Data-driven importance needs sample examples, but got none");
        }
        List<DataSet> batches = new java.util.ArrayList<>();
        for (int start = 0; start < n; start += batchSize) {
            int end = Math.min(n, start + batchSize);
            batches.add(new DataSet(rows(sample.getFeatures(), start, end), rows(sample.getLabels(), start, end)));
        }
        return batches;
    }

    /** Examples [start, end) of an array of any rank (features may be images [n, c, h, w]). */
    private static INDArray rows(INDArray a, int start, int end) {
        org.nd4j.linalg.indexing.INDArrayIndex[] index = new org.nd4j.linalg.indexing.INDArrayIndex[a.rank()];
        java.util.Arrays.fill(index, NDArrayIndex.all());
        index[0] = NDArrayIndex.interval(start, end);
        return a.get(index);
    }
}
