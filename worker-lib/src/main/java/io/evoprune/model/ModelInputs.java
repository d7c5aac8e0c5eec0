package io.evoprune.model;

import io.evoprune.data.ArrayDataset;
import io.evoprune.mask.LayerGraph;
import java.util.Arrays;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;

/**
 * What a network takes and gives, and the view of the data that fits it: dense (or flat-input convolutional)
 * networks see each example as a flat vector; a network that starts with a convolution sees
 * {@code [channels, height, width]} images, or {@code [height, width, channels]} for channels-last (Keras) layers.
 * Mismatches raise {@link IllegalArgumentException} naming both shapes.
 */
public final class ModelInputs {
    private ModelInputs() {
    }

    /** {@code data} viewed (and for channels-last networks, reordered) the way {@code conf}'s first layer reads it. */
    public static ArrayDataset adapt(Object conf, ArrayDataset data) {
        int[] shape = data.featureShape();
        LayerGraph graph = LayerGraph.of(conf);
        LayerGraph.Node firstNode = first(graph);
        Layer first = unfrozen(firstNode.layer());
        InputPreProcessor pre = firstNode.preProcessor();
        if (pre instanceof FeedForwardToCnnPreProcessor flatImages) {
            long expected = flatImages.getInputHeight() * flatImages.getInputWidth() * flatImages.getNumChannels();
            if (expected != data.featureSize() || shape.length == 3 && shape[0] != flatImages.getNumChannels()) {
                throw new IllegalArgumentException("the model takes flattened images of " + flatImages.getNumChannels()
                        + " x " + flatImages.getInputHeight() + " x " + flatImages.getInputWidth() + " (channels x height x "
                        + "width) but the data's examples have shape " + Arrays.toString(shape));
            }
            return data.withFeatureShape(data.featureSize());
        }
        if (first instanceof ConvolutionLayer conv && pre == null) {
            if (shape.length != 3) {
                throw new IllegalArgumentException("the model starts with convolution layer '" + first.getLayerName()
                        + "' and takes images, but the data's examples have shape " + Arrays.toString(shape)
                        + " (use data.format=images or idx, or DataSet files with [examples, channels, height, width] features)");
            }
            if (conv.getNIn() != shape[0]) {
                throw new IllegalArgumentException("the model's first convolution takes " + conv.getNIn()
                        + " channels but the data's images have " + shape[0] + " (shape " + Arrays.toString(shape) + ")");
            }
            requireImageSize(graph, conv.getCnn2dDataFormat(), shape);
            return conv.getCnn2dDataFormat() == CNN2DFormat.NHWC ? data.toChannelsLast() : data;
        }
        if (first instanceof EmbeddingLayer embedding && pre == null) {
            return tokens(embedding, data);
        }
        if (first instanceof FeedForwardLayer dense && (pre == null || shape.length == 1)) {
            if (dense.getNIn() != data.featureSize()) {
                throw new IllegalArgumentException("the model takes " + dense.getNIn() + " inputs but the data has "
                        + data.featureSize() + " features per example (shape " + Arrays.toString(shape) + ")");
            }
            return data.withFeatureShape(data.featureSize());
        }
        // Anything else (recurrent input, unusual preprocessors) is left as the data is; the forward-pass check
        // that follows catches what does not fit.
        return data;
    }

    /**
     * Refuses images of another height or width than the network was built for, naming both: convolutions take any
     * size, but the first dense layer after them takes the feature maps of one size only. Layer shapes are
     * computed from the configuration alone (a MultiLayerNetwork's or a single-input ComputationGraph's), as DL4J's
     * setInputType does; the size the network takes is the one whose maps fit that layer.
     */
    private static void requireImageSize(LayerGraph graph, CNN2DFormat format, int[] shape) {
        LayerGraph.Node dense = graph.nodes().stream()
                .filter(n -> n.preProcessor() instanceof CnnToFeedForwardPreProcessor).findFirst().orElse(null);
        if (dense == null || graph.nodes().stream().filter(LayerGraph.Node::isInput).count() != 1) {
            return; // no dense layer after the convolutions (any size is read), or several inputs
        }
        CnnToFeedForwardPreProcessor flatten = (CnnToFeedForwardPreProcessor) dense.preProcessor();
        long[] maps = maps(graph, dense.name(), format, shape[0], shape[1], shape[2]);
        if (maps == null || maps[0] == flatten.getInputHeight() && maps[1] == flatten.getInputWidth()) {
            return; // fits, or shapes this cannot compute (a custom layer): the forward pass decides
        }
        // Pooling with a stride rounds, so a range of sides may give the maps the dense layer reads.
        int[] heights = sides(side -> maps(graph, dense.name(), format, shape[0], side, shape[2]), 0,
                flatten.getInputHeight());
        int[] widths = sides(side -> maps(graph, dense.name(), format, shape[0], shape[1], side), 1,
                flatten.getInputWidth());
        throw new IllegalArgumentException("the model takes images of " + (heights == null || widths == null
                ? "another size" : range(heights) + " x " + range(widths)) + " (height x width; its layer '"
                + dense.name() + "' reads feature maps of " + flatten.getInputHeight() + " x " + flatten.getInputWidth()
                + ") but the data's images are " + shape[1] + " x " + shape[2] + " (shape " + Arrays.toString(shape)
                + ")");
    }

    /** The first and last side in [1, {@value #MAX_SIDE}] whose maps have {@code size} in {@code dimension}; or null. */
    private static int[] sides(java.util.function.IntFunction<long[]> maps, int dimension, long size) {
        int first = -1;
        int last = -1;
        for (int side = 1; side <= MAX_SIDE && (last < 0 || last == side - 1); side++) {
            long[] m = maps.apply(side);
            if (m != null && m[dimension] == size) {
                first = first < 0 ? side : first;
                last = side;
            }
        }
        return first < 0 ? null : new int[] {first, last};
    }

    private static String range(int[] sides) {
        return sides[0] == sides[1] ? Integer.toString(sides[0]) : sides[0] + "-" + sides[1];
    }

    /** The largest image side searched for the size a network takes. */
    private static final int MAX_SIDE = 4096;

    /**
     * Height and width of the maps that reach node {@code target} (before its preprocessor) from an image of this
     * size, through the graph in topological order; null where none do.
     */
    private static long[] maps(LayerGraph graph, String target, CNN2DFormat format, int channels, int height,
                               int width) {
        try {
            java.util.Map<String, InputType> types = new java.util.HashMap<>();
            int index = 0;
            for (LayerGraph.Node n : graph.nodes()) {
                InputType[] in = n.inputs().stream().map(types::get).toArray(InputType[]::new);
                if (n.name().equals(target)) {
                    return in.length == 1 && in[0] instanceof InputType.InputTypeConvolutional c
                            ? new long[] {c.getHeight(), c.getWidth()} : null;
                }
                InputType type;
                if (n.isInput()) {
                    type = InputType.convolutional(height, width, channels, format);
                } else if (n.layer() != null) {
                    InputType x = n.preProcessor() != null ? n.preProcessor().getOutputType(in[0]) : in[0];
                    type = n.layer().getOutputType(index, x);
                } else {
                    type = n.vertex().getOutputType(index, in); // a PreprocessorVertex applies its own
                }
                types.put(n.name(), type);
                index++;
            }
            return null;
        } catch (RuntimeException e) { // a kernel larger than the maps, a stride that does not divide them (Strict)
            return null;
        }
    }

    /** An embedding reads one token index in [0, nIn) per example, not nIn features. */
    private static ArrayDataset tokens(EmbeddingLayer embedding, ArrayDataset data) {
        if (data.featureSize() != 1) {
            throw new IllegalArgumentException("the model starts with embedding layer '" + embedding.getLayerName()
                    + "', which reads one token index per example, but the data has " + data.featureSize()
                    + " features per example (shape " + Arrays.toString(data.featureShape()) + ")");
        }
        float[] x = data.features();
        for (int i = 0; i < x.length; i++) {
            if (x[i] != Math.rint(x[i]) || x[i] < 0 || x[i] >= embedding.getNIn()) {
                throw new IllegalArgumentException("example " + i + " holds token index " + x[i] + ", but embedding layer '"
                        + embedding.getLayerName() + "' takes whole numbers in [0, " + embedding.getNIn() + ")");
            }
        }
        return data.withFeatureShape(1);
    }

    /** {@link #adapt}, after checking that the network has one output per class (or target) of the data. */
    public static ArrayDataset fit(Object conf, ArrayDataset data) {
        long outputs = outputs(conf);
        if (outputs != data.outputSize()) {
            throw new IllegalArgumentException("the model has " + outputs + " outputs but the data has "
                    + data.outputSize() + (data.regression() ? " regression targets" : " classes"));
        }
        return adapt(conf, data);
    }

    /** The layer a frozen wrapper holds (it reads its input as that layer does), or {@code layer} itself. */
    public static Layer unfrozen(Layer layer) {
        if (layer instanceof FrozenLayer frozen) {
            return frozen.getLayer();
        }
        return layer instanceof FrozenLayerWithBackprop frozen ? frozen.getUnderlying() : layer;
    }

    /** Columns of the network's output: classes or regression targets. */
    public static long outputs(Object conf) {
        LayerGraph graph = LayerGraph.of(conf);
        LayerGraph.Node last = graph.node(graph.output());
        if (last.layer() instanceof BaseOutputLayer out) {
            return out.getNOut();
        }
        if (last.layer() instanceof LossLayer) {
            for (LayerGraph.Node n = last; !n.inputs().isEmpty(); n = graph.node(n.inputs().get(0))) {
                if (n != last && n.layer() instanceof FeedForwardLayer ff && ff.getNOut() > 0) {
                    return ff.getNOut();
                }
            }
        }
        // Per-position losses (CnnLossLayer, RnnLossLayer) score a map, not one row per example.
        throw new IllegalArgumentException("the model's last layer is " + last.kind() + ", but evoprune scores one"
                + " row of class scores or targets per example: the model must end in an output layer (e.g."
                + " OutputLayer) or in a LossLayer after a layer with nOut");
    }

    /** The first layer that reads the network's input (a MultiLayerNetwork's layer 0). */
    private static LayerGraph.Node first(LayerGraph graph) {
        for (LayerGraph.Node n : graph.nodes()) {
            if (n.layer() != null && n.inputs().stream().anyMatch(in -> graph.node(in).isInput())) {
                return n;
            }
        }
        throw new IllegalArgumentException("no layer of the model reads its input");
    }
}
