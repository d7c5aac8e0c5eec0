package io.evoprune.mask;

import io.evoprune.model.Network;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns a unit mask into a 0/1 vector over a network's flattened parameters. Multiplying the parameters by
 * it prunes the units; multiplying again after every update keeps them pruned (see {@link MaskEnforcer}).
 */
public final class MaskApplier {
    /** Per-channel parameters of a batch-normalisation layer (DL4J keeps var or log10stdev, not both). */
    private static final List<String> NORM_PARAMS = List.of("gamma", "beta", "mean", "var", "log10stdev");
    /** The trained ones among them; the others are running statistics. */
    private static final List<String> NORM_TRAINED = List.of("gamma", "beta");

    /** Which of a unit's parameters {@link #unitSums} adds up. */
    public enum UnitPart {
        /** The unit's own weights: a neuron's incoming weights, a filter's kernel. */
        OWN_WEIGHTS,
        /** The consumers' weights that read the unit's output: zeroing them removes the unit, whatever it outputs. */
        CONSUMER_WEIGHTS,
        /**
         * Every trained parameter pruning the unit zeroes: own weights, biases, batch-norm scale and shift, and the
         * consumers' weights that read the unit (batch-norm running statistics left out).
         */
        TRAINED
    }

    private MaskApplier() {
    }

    /**
     * The parameters a parameter mask keeps. Summed as double: a float sum stops counting at 2^24 (16,777,216),
     * which a large network's kept parameters pass.
     */
    public static long keptParameters(INDArray parameterMask) {
        return parameterMask.castTo(DataType.DOUBLE).sumNumber().longValue();
    }

    public static INDArray parameterMask(Network net, PrunableLayout layout, Mask mask) {
        layout.requireFits(mask, "The mask to apply");
        return layout.granularity() == Granularity.WEIGHT ? weightMask(net, layout, mask) : unitMask(net, layout, mask);
    }

    /** Zeroes the pruned units' parameters in place and returns the parameter mask used. */
    public static INDArray apply(Network net, PrunableLayout layout, Mask mask) {
        INDArray parameterMask = parameterMask(net, layout, mask);
        net.params().muli(parameterMask);
        return parameterMask;
    }

    /**
     * Where parameter {@code key} of {@code layer} lies in the flat parameter vector: [start, start + length).
     * DL4J's parameter arrays are contiguous views of that vector.
     */
    public static long paramStart(Network net, String layer, String key) {
        INDArray param = net.param(layer, key);
        if (param == null) {
            throw new IllegalArgumentException("Layer '" + layer + "' has no parameter '" + key + "'");
        }
        return param.offset() - net.params().offset();
    }

    /** Unstructured masks straight from the bits: bit u of a segment is element u of its layer's W. */
    private static INDArray weightMask(Network net, PrunableLayout layout, Mask mask) {
        float[] m = ones(net);
        for (PrunableLayout.Segment s : layout.segments()) {
            String layer = s.producers().get(0);
            int start = Math.toIntExact(paramStart(net, layer, "W"));
            long length = net.param(layer, "W").length();
            if (length != s.units()) {
                throw new IllegalArgumentException("Layer '" + layer + "' has " + length + " weights, the layout "
                        + s.units());
            }
            for (int u = mask.nextPruned(s.offset()); u >= 0 && u < s.offset() + s.units(); u = mask.nextPruned(u + 1)) {
                m[start + u - s.offset()] = 0f;
            }
        }
        return Nd4j.createFromArray(m).castTo(net.dataType());
    }

    /**
     * Structured masks, written straight into a Java array: each parameter is a contiguous view of the flat
     * vector, so an element's position there follows from the view's offset and strides.
     */
    private static INDArray unitMask(Network net, PrunableLayout layout, Mask mask) {
        float[] m = ones(net);
        for (PrunableLayout.Segment s : layout.segments()) {
            Slices slices = new Slices(net, s);
            for (int bit = mask.nextPruned(s.offset()); bit >= 0 && bit < s.offset() + s.units();
                 bit = mask.nextPruned(bit + 1)) {
                slices.zero(m, bit - s.offset());
            }
        }
        return Nd4j.createFromArray(m).castTo(net.dataType());
    }

    /**
     * Per-unit sums of {@code values} (one per flat parameter) over the parameters {@code part} names, for a neuron
     * or filter layout: with {@code values} all ones, how many parameters each unit has.
     */
    public static double[] unitSums(Network net, PrunableLayout layout, float[] values, UnitPart part) {
        if (layout.granularity() == Granularity.WEIGHT) {
            throw new IllegalArgumentException("Unit sums need neuron or filter units; the layout's units are single"
                    + " weights");
        }
        if (values.length != net.numParams()) {
            throw new IllegalArgumentException("Got " + values.length + " values for " + net.numParams()
                    + " parameters");
        }
        double[] sums = new double[layout.units()];
        for (PrunableLayout.Segment s : layout.segments()) {
            Slices slices = new Slices(net, s);
            for (int u = 0; u < s.units(); u++) {
                double[] sum = {0};
                java.util.function.LongConsumer add = p -> sum[0] += values[(int) p];
                if (part == UnitPart.CONSUMER_WEIGHTS) {
                    slices.forEachConsumerWeight(u, add);
                } else {
                    slices.forEach(u, part == UnitPart.OWN_WEIGHTS, false, add);
                }
                sums[s.offset() + u] = sum[0];
            }
        }
        return sums;
    }

    private static float[] ones(Network net) {
        float[] m = new float[Math.toIntExact(net.numParams())];
        Arrays.fill(m, 1f);
        return m;
    }

    /** The parameter views one segment's units live in, looked up once per segment. */
    private static final class Slices {
        private final List<ParamView> producerWeights = new java.util.ArrayList<>();
        private final List<ParamView> producerBiases = new java.util.ArrayList<>();
        private final List<ParamView> norms = new java.util.ArrayList<>();
        private final List<PrunableLayout.Follower> normFollowers = new java.util.ArrayList<>();
        private final List<Boolean> normTrained = new java.util.ArrayList<>();
        private final List<ParamView> consumerWeights = new java.util.ArrayList<>();
        private final List<PrunableLayout.Input> inputs;

        Slices(Network net, PrunableLayout.Segment s) {
            for (String p : s.producers()) {
                producerWeights.add(ParamView.of(net, p, "W"));
                ParamView b = ParamView.of(net, p, "b");
                if (b != null) {
                    producerBiases.add(b);
                }
            }
            for (PrunableLayout.Follower f : s.followers()) {
                for (String key : NORM_PARAMS) {
                    ParamView v = ParamView.of(net, f.layer(), key);
                    if (v != null) {
                        norms.add(v);
                        normFollowers.add(f);
                        normTrained.add(NORM_TRAINED.contains(key));
                    }
                }
            }
            inputs = s.consumers();
            for (PrunableLayout.Input in : inputs) {
                consumerWeights.add(ParamView.of(net, in.layer(), "W"));
            }
        }

        void zero(float[] m, int u) {
            forEach(u, false, true, p -> m[(int) p] = 0f);
        }

        /** The flat positions of unit {@code u}'s own weights, or of all it prunes (with or without norm statistics). */
        void forEach(int u, boolean ownWeightsOnly, boolean statistics, java.util.function.LongConsumer flat) {
            for (ParamView w : producerWeights) {
                w.forEach(w.unitDimension(), u, flat);
            }
            if (ownWeightsOnly) {
                return;
            }
            for (ParamView b : producerBiases) {
                flat.accept(b.element(u));
            }
            for (int i = 0; i < norms.size(); i++) {
                if (statistics || normTrained.get(i)) {
                    PrunableLayout.Follower f = normFollowers.get(i);
                    for (long k = 0; k < f.count(); k++) {
                        flat.accept(norms.get(i).element(f.start(u) + k * f.stride()));
                    }
                }
            }
            forEachConsumerWeight(u, flat);
        }

        /** The flat positions of the consumers' weights that read unit {@code u}. */
        void forEachConsumerWeight(int u, java.util.function.LongConsumer flat) {
            for (int i = 0; i < inputs.size(); i++) {
                PrunableLayout.Input in = inputs.get(i);
                ParamView w = consumerWeights.get(i);
                int dim = in.kind() == PrunableLayout.InputKind.DENSE_ROWS ? 0 : 1;
                for (long k = 0; k < in.count(); k++) {
                    w.forEach(dim, in.start(u) + k * in.stride(), flat);
                }
            }
        }
    }
}
