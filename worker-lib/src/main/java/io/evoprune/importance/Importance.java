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
            case TAYLOR -> MaskApplier.unitSums(net, layout, taylorProducts(net, sample, batchSize, seed), UnitPart.TRAINED);
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
        float[] flat = criterion == Criterion.MAGNITUDE ? abs(net.params()) : taylorProducts(net, sample, batchSize, seed);
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

    /** |g * w| for every parameter, summed over the sample's batches (laid out like the flat parameters). */
    private static float[] taylorProducts(Network net, DataSet sample, int batchSize, long seed) {
        Nd4j.getRandom().setSeed(seed); // gradients are taken in training mode: dropout draws from it
        INDArray total = null;
        for (DataSet batch : batches(sample, batchSize)) {
            INDArray product = Transforms.abs(net.gradient(batch.getFeatures(), batch.getLabels()).mul(net.params()),
                    false);
            total = total == null ? product : total.addi(product);
        }
        net.clear();
        return total.castTo(DataType.FLOAT).toFloatVector();
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
