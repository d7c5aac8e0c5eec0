package io.evoprune.rebuild;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Convolution2D;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The per-layer part of a rebuild: shrink one layer's configuration to the units that survive, and copy the
 * surviving slices of its parameters into the smaller layer. A layer kind that cannot be shrunk exactly is
 * refused by name rather than rebuilt approximately.
 */
final class LayerSurgery {
    private LayerSurgery() {
    }

    /** How a layer's parameters are laid out over its input and output units. */
    enum Kind {
        /** Dense and output layers: W is [nIn, nOut]; every other parameter is per output unit. */
        DENSE,
        /** 2-D convolution: W is [nOut, nIn, kH, kW]; every other parameter is per output channel. */
        CONV,
        /** Batch normalisation: every parameter is per channel, and inputs are outputs. */
        BATCH_NORM,
        /** No parameters and channels pass through unchanged (pooling, activation, dropout, padding). */
        PASS,
        /** Anything else: rebuilt only when it neither reads nor is pruned. */
        FIXED
    }

    static Kind kind(Layer layer) {
        Class<?> c = layer.getClass();
        if (layer instanceof DenseLayer || c == OutputLayer.class) {
            return Kind.DENSE;
        }
        if (c == ConvolutionLayer.class || c == Convolution2D.class) {
            return Kind.CONV;
        }
        if (layer instanceof BatchNormalization) {
            return Kind.BATCH_NORM;
        }
        if (layer instanceof SubsamplingLayer || layer instanceof ActivationLayer || layer instanceof DropoutLayer
                || layer instanceof GlobalPoolingLayer || layer instanceof ZeroPaddingLayer
                || layer instanceof Cropping2D || layer instanceof Upsampling2D) {
            return Kind.PASS;
        }
        return Kind.FIXED;
    }

    /**
     * Shrinks {@code layer} (a clone, edited in place) to read the units {@code in} and, when {@code keptOut}
     * is not null, to produce only those output units. Returns the units it produces.
     */
    static Units resize(Layer layer, String name, Units in, int[] keptOut) {
        Kind kind = kind(layer);
        String what = "Layer " + name + " (" + layer.getClass().getSimpleName() + ")";
        switch (kind) {
            case DENSE, CONV -> {
                FeedForwardLayer ff = (FeedForwardLayer) layer;
                if (!in.complete()) {
                    checkWidth(what, "inputs", ff.getNIn(), in.width());
                    ff.setNIn(in.count());
                }
                Units out = keptOut == null ? Units.all((int) ff.getNOut()) : Units.of((int) ff.getNOut(), keptOut);
                if (out.count() == 0) {
                    throw new IllegalArgumentException(what + " would keep no units; a rebuilt layer needs at least one");
                }
                ff.setNOut(out.count());
                return out;
            }
            case BATCH_NORM -> {
                refusePruned(what, keptOut, "it is pruned together with the layer that feeds it");
                FeedForwardLayer bn = (FeedForwardLayer) layer;
                if (!in.complete()) {
                    checkWidth(what, "channels", bn.getNOut(), in.width());
                    bn.setNIn(in.count());
                    bn.setNOut(in.count());
                }
                return in;
            }
            case PASS -> {
                refusePruned(what, keptOut, "it has no units of its own");
                return in;
            }
            default -> {
                refusePruned(what, keptOut, "only dense and 2-D convolution layers can be rebuilt smaller");
                if (!in.complete()) {
                    throw new IllegalArgumentException(what + " reads pruned units, but the rebuild supports only dense, "
                            + "output, 2-D convolution, batch-normalisation, pooling, activation, dropout and padding "
                            + "layers after a pruned layer");
                }
                return layer instanceof FeedForwardLayer ff ? Units.all((int) ff.getNOut()) : Units.all(in.width());
            }
        }
    }

    /** The units a preprocessor (a clone, edited in place) hands on, given the units it reads. */
    static Units preprocess(InputPreProcessor pre, String name, Units in) {
        if (pre instanceof CnnToFeedForwardPreProcessor flat) {
            int hw = (int) (flat.getInputHeight() * flat.getInputWidth());
            int channels = (int) flat.getNumChannels();
            if (in.complete()) {
                return Units.all(channels * hw);
            }
            checkWidth("The flattening before layer " + name, "channels", channels, in.width());
            flat.setNumChannels(in.count());
            // Flattening is row-major over the activation's own layout: NCHW puts a channel's h*w values
            // together, NHWC interleaves the channels at every position.
            int[] kept = new int[in.count() * hw];
            int k = 0;
            if (flat.getFormat() == CNN2DFormat.NHWC) {
                for (int pos = 0; pos < hw; pos++) {
                    for (long c : in.indices()) {
                        kept[k++] = pos * channels + (int) c;
                    }
                }
            } else {
                for (long c : in.indices()) {
                    for (int pos = 0; pos < hw; pos++) {
                        kept[k++] = (int) c * hw + pos;
                    }
                }
            }
            return Units.of(channels * hw, kept);
        }
        if (!in.complete()) {
            throw new IllegalArgumentException("The input preprocessor of layer " + name + " ("
                    + pre.getClass().getSimpleName() + ") reads pruned units; only flattening a convolutional "
                    + "activation (CnnToFeedForwardPreProcessor) is supported there");
        }
        if (pre instanceof FeedForwardToCnnPreProcessor toCnn) {
            return Units.all((int) toCnn.getNumChannels());
        }
        return Units.all(-1);
    }

    /** Copies the parameters of {@code from} that survive into {@code to}, the rebuilt layer. */
    static void copyParameters(org.deeplearning4j.nn.api.Layer from, org.deeplearning4j.nn.api.Layer to,
                               Kind kind, Units in, Units out, String name) {
        for (String key : from.paramTable().keySet()) {
            INDArray p = from.getParam(key);
            INDArray kept = switch (kind) {
                case DENSE -> key.equals("W") ? select(select(p, 0, in), 1, out) : select(p, p.rank() - 1, out);
                case CONV -> key.equals("W") ? select(select(p, 1, in), 0, out) : select(p, p.rank() - 1, out);
                case BATCH_NORM -> select(p, p.rank() - 1, out);
                default -> p;
            };
            INDArray target = to.getParam(key);
            if (!Arrays.equals(target.shape(), kept.shape())) {
                throw new IllegalStateException("Parameter " + key + " of layer " + name + " is "
                        + Arrays.toString(target.shape()) + " in the rebuilt network but the surviving slice is "
                        + Arrays.toString(kept.shape()));
            }
            target.assign(kept);
        }
    }

    private static INDArray select(INDArray p, int axis, Units units) {
        if (units.complete()) {
            return p;
        }
        INDArrayIndex[] index = new INDArrayIndex[p.rank()];
        for (int d = 0; d < index.length; d++) {
            index[d] = d == axis ? NDArrayIndex.indices(units.indices()) : NDArrayIndex.all();
        }
        return p.get(index);
    }

    private static void checkWidth(String what, String unit, long expected, int actual) {
        if (expected != actual) {
            throw new IllegalStateException(what + " has " + expected + " " + unit + " but its input has " + actual);
        }
    }

    private static void refusePruned(String what, int[] keptOut, String why) {
        if (keptOut != null) {
            throw new IllegalArgumentException(what + " cannot be pruned on its own: " + why);
        }
    }
}
