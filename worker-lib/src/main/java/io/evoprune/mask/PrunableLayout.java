package io.evoprune.mask;

import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.modelimport.keras.preprocessors.TensorFlowCnnToFeedForwardPreProcessor;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;

/**
 * The genome's map onto a network: which bits belong to which layer, and which parameters each bit owns.
 * Segments are laid out in topological order; bit {@code segment.offset() + u} is unit {@code u} of the segment.
 *
 * <p>For {@link Granularity#NEURON} and {@link Granularity#FILTER} a unit is an output unit (dense feature or
 * convolution channel) of the segment's {@code producers}: pruning it zeroes, in each producer, the unit's
 * weights ({@code W} column of a dense layer, {@code W[u]} kernel of a convolution) and bias; in each
 * {@link Follower} (batch normalisation on the way) the channel's {@code gamma, beta, mean, var/log10stdev};
 * and in each {@link Input} (the weighted layers that read the unit, through activations, pooling, dropout,
 * merges and flattening) the matching input rows or input channel. Producers whose outputs are added or
 * multiplied elementwise (residual connections) share one segment: their unit {@code u} is one bit.
 *
 * <p>For {@link Granularity#WEIGHT} a segment is one layer's {@code W} parameter and unit {@code u} is its
 * element {@code u} in DL4J's flattened parameter order (the order of {@code layer.getParam("W")}'s buffer:
 * column-major {@code [nIn, nOut]} for dense layers, row-major {@code [nOut, nIn, kH, kW]} for convolutions).
 */
public record PrunableLayout(Granularity granularity, List<Segment> segments) implements Serializable {

    /**
     * One group of units: {@code units} bits starting at {@code offset}.
     *
     * @param name      the producers' names joined by '+'
     * @param producers layers whose outputs (NEURON, FILTER) or {@code W} elements (WEIGHT) the bits remove
     * @param followers per-channel layers (batch normalisation) whose channel parameters go with the unit
     * @param consumers weighted layers whose inputs read the units
     */
    public record Segment(String name, int units, int offset, List<String> producers, List<Follower> followers,
                          List<Input> consumers) implements Serializable {
        public Segment {
            producers = List.copyOf(producers);
            followers = List.copyOf(followers);
            consumers = List.copyOf(consumers);
        }
    }

    /**
     * Where unit {@code u} lies among a layer's inputs: positions {@code start(u) + k * stride()} for
     * {@code k < count()}. That is one row or channel, or, after a flatten (CnnToFeedForwardPreProcessor), the
     * {@code spatial = h * w} flattened positions of channel {@code channelOffset + u} of {@code channels}.
     */
    public interface Positions {
        int channelOffset();

        int channels();

        /** 0 when the input is not flattened. */
        int spatial();

        /** Flattened from NHWC (channel is the fastest index) rather than NCHW. */
        boolean channelsLast();

        default long start(int unit) {
            int channel = channelOffset() + unit;
            return spatial() == 0 || channelsLast() ? channel : (long) channel * spatial();
        }

        default long stride() {
            return spatial() != 0 && channelsLast() ? channels() : 1;
        }

        default long count() {
            return spatial() == 0 ? 1 : spatial();
        }
    }

    /**
     * A batch-normalisation layer whose channels {@link Positions} of unit {@code u} belong to that unit: one
     * channel, or, behind a flatten, the unit's {@code spatial} features (such a normalisation has one channel per
     * flattened feature).
     */
    public record Follower(String layer, int channelOffset, int channels, int spatial, boolean channelsLast)
            implements Positions, Serializable {
        /** A normalisation of unflattened channels. */
        public Follower(String layer, int channelOffset) {
            this(layer, channelOffset, 0, 0, false);
        }
    }

    /** How a consumer's weights index its inputs. */
    public enum InputKind {
        /** {@code W} is {@code [nIn, nOut]} (dense and output layers): an input is a row. */
        DENSE_ROWS,
        /** {@code W} is {@code [nOut, nIn, kH, kW]} (2-D convolution): an input is the channel {@code W[:, c]}. */
        CONV_CHANNELS
    }

    /** A weighted layer reading the units, at the inputs {@link Positions} gives. */
    public record Input(String layer, InputKind kind, int channelOffset, int channels, int spatial,
                        boolean channelsLast) implements Positions, Serializable {
    }

    public PrunableLayout {
        segments = List.copyOf(segments);
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("The network has no layer that granularity '"
                    + granularity.configName() + "' can prune");
        }
    }

    /** Total number of bits a mask over this layout has. */
    public int units() {
        Segment last = segments.get(segments.size() - 1);
        return last.offset() + last.units();
    }

    /**
     * Checks that {@code mask} has one bit per prunable unit of this layout; {@code source} names where the mask
     * came from (a file), so the message says which file does not fit which network. Every reader of masks
     * (checkpoints, mask files) goes through here before a mask is used.
     */
    public void requireFits(Mask mask, String source) {
        if (mask.length() != units()) {
            throw new IllegalArgumentException(source + " holds a mask of " + mask.length() + " bits, but the network has "
                    + describeUnits());
        }
    }

    /** The prunable units by segment, for messages: "400 prunable neurons (300 in fc1 + 100 in fc2)". */
    public String describeUnits() {
        StringBuilder layers = new StringBuilder();
        for (Segment s : segments) {
            layers.append(layers.length() == 0 ? "" : " + ").append(s.units()).append(" in ").append(s.name());
        }
        return units() + " prunable " + granularity.configName() + "s (" + layers + ")";
    }

    /** The segment named {@code name}. */
    public Segment segment(String name) {
        for (Segment s : segments) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("No prunable segment named '" + name + "'");
    }

    /** Every layer of {@code configuration} that {@code granularity} supports. */
    public static PrunableLayout of(Object configuration, Granularity granularity) {
        return of(configuration, MaskSettings.of(granularity));
    }

    /**
     * The layout of a MultiLayerConfiguration or ComputationGraphConfiguration under {@code settings}. Fails,
     * naming the layer and the granularity, when a selected layer's kind is not supported, or when a pruned
     * unit would flow into a layer or vertex the granularity cannot follow.
     */
    public static PrunableLayout of(Object configuration, MaskSettings settings) {
        LayerGraph graph = LayerGraph.of(configuration);
        List<String> selected = select(graph, settings);
        return settings.granularity() == Granularity.WEIGHT ? weights(graph, selected)
                : new Tracer(graph, settings.granularity()).layout(selected);
    }

    /**
     * Why {@code granularity} cannot prune {@code layer} of {@code graph}, or null where it can (or the graph has no
     * such layer): for callers whose layer list is not the mask.layers.include key.
     */
    public static String unsupported(LayerGraph graph, String layer, Granularity granularity) {
        return graph.contains(layer) ? unsupported(graph, graph.node(layer), granularity) : null;
    }

    /** Whether {@code granularity} can prune {@code node}'s layer (the network's output layer never, for units). */
    static String unsupported(LayerGraph graph, LayerGraph.Node node, Granularity granularity) {
        Layer layer = node.layer();
        if (layer == null) {
            return node.kind() + " has no parameters";
        }
        return switch (granularity) {
            case NEURON -> layer.getClass() == DenseLayer.class
                    ? (node.name().equals(graph.output()) ? "it is the network's output" : mixesUnits(layer))
                    : node.kind() + " is not a dense layer";
            case FILTER -> layer.getClass() == ConvolutionLayer.class
                    ? (node.name().equals(graph.output()) ? "it is the network's output" : mixesUnits(layer))
                    : node.kind() + " is not a 2-D ConvolutionLayer";
            case WEIGHT -> layer.getClass() == DenseLayer.class || layer.getClass() == ConvolutionLayer.class
                    || layer.getClass() == OutputLayer.class ? null
                    : node.kind() + " is not a DenseLayer, ConvolutionLayer or OutputLayer";
        };
    }

    /**
     * Why a pruned unit of {@code layer} would still change its kept units, or null: a zeroed unit is only
     * removable when every kept unit's output ignores it. Layer normalisation averages over all the units, and a
     * softmax activation divides by a sum over them; the masked network would then not be the rebuilt one.
     */
    private static String mixesUnits(Layer layer) {
        if (layer instanceof DenseLayer dense && dense.hasLayerNorm()) {
            return "its layer normalisation mixes all its units, so a pruned unit still changes the kept ones";
        }
        if (LayerGraph.activation(layer) instanceof ActivationSoftmax) {
            return "its softmax activation mixes all its units, so a pruned unit still changes the kept ones";
        }
        return null;
    }

    private static List<String> select(LayerGraph graph, MaskSettings settings) {
        Granularity g = settings.granularity();
        for (String name : settings.exclude()) {
            if (!graph.contains(name) || graph.node(name).layer() == null) {
                throw new IllegalArgumentException(MaskSettings.EXCLUDE_KEY + " names '" + name
                        + "', which is not a layer of the model; its layers are " + graph.layerNames());
            }
        }
        List<String> selected = new ArrayList<>();
        if (settings.include().isEmpty()) {
            for (LayerGraph.Node n : graph.nodes()) {
                if (n.layer() != null && unsupported(graph, n, g) == null && !settings.exclude().contains(n.name())) {
                    selected.add(n.name());
                }
            }
        } else {
            Set<String> include = new LinkedHashSet<>(settings.include());
            for (String name : include) {
                if (!graph.contains(name) || graph.node(name).layer() == null) {
                    throw new IllegalArgumentException(MaskSettings.INCLUDE_KEY + " names '" + name
                            + "', which is not a layer of the model; its layers are " + graph.layerNames());
                }
                String why = unsupported(graph, graph.node(name), g);
                if (why != null) {
                    throw new IllegalArgumentException("Layer '" + name + "' cannot be pruned at granularity '"
                            + g.configName() + "': " + why + " (key " + MaskSettings.INCLUDE_KEY + ")");
                }
            }
            for (LayerGraph.Node n : graph.nodes()) {
                if (include.contains(n.name())) {
                    selected.add(n.name());
                }
            }
        }
        if (selected.isEmpty()) {
            List<String> selection = new ArrayList<>();
            if (!settings.include().isEmpty()) {
                selection.add(MaskSettings.INCLUDE_KEY + "=" + String.join(",", settings.include()));
            }
            if (!settings.exclude().isEmpty()) {
                selection.add(MaskSettings.EXCLUDE_KEY + "=" + String.join(",", settings.exclude()));
            }
            throw new IllegalArgumentException("No layer of the network can be pruned at granularity '"
                    + g.configName() + "'" + (selection.isEmpty() ? "" : " with " + String.join(" and ", selection))
                    + "; the network's layers are " + describe(graph));
        }
        return selected;
    }

    private static String describe(LayerGraph graph) {
        List<String> out = new ArrayList<>();
        for (LayerGraph.Node n : graph.nodes()) {
            if (n.layer() != null) {
                out.add(n.name() + " (" + n.kind() + ")");
            }
        }
        return out.toString();
    }

    private static PrunableLayout weights(LayerGraph graph, List<String> selected) {
        List<Segment> segments = new ArrayList<>();
        int offset = 0;
        for (String name : selected) {
            long size = weightCount(graph.node(name));
            if (offset + size > Integer.MAX_VALUE - 64) {
                throw new IllegalArgumentException("Granularity 'weight' over the selected layers needs more than 2^31 bits;"
                        + " select fewer layers with " + MaskSettings.INCLUDE_KEY);
            }
            segments.add(new Segment(name, (int) size, offset, List.of(name), List.of(), List.of()));
            offset += (int) size;
        }
        return new PrunableLayout(Granularity.WEIGHT, segments);
    }

    private static long weightCount(LayerGraph.Node node) {
        long size;
        if (node.layer() instanceof ConvolutionLayer conv) {
            size = conv.getNIn() * conv.getNOut() * conv.getKernelSize()[0] * conv.getKernelSize()[1];
        } else {
            var ff = (org.deeplearning4j.nn.conf.layers.FeedForwardLayer) node.layer();
            size = ff.getNIn() * ff.getNOut();
        }
        if (size <= 0) {
            throw new IllegalArgumentException("Layer '" + node.name() + "' does not state its input size (nIn);"
                    + " granularity 'weight' needs it in the configuration");
        }
        return size;
    }

    /** Follows each producer's units forward to the layers that read them. */
    private static final class Tracer {
        private final LayerGraph graph;
        private final Granularity granularity;

        /** Where the units of the traced producer are: at {@code node}'s output, or flattened ({@code spatial > 0}). */
        private record Flow(String node, int offset, int width, int spatial, boolean channelsLast) {
        }

        /** A producer reaching input {@code position} of an elementwise vertex, its units at {@code offset}. */
        private record Arrival(String producer, int position, int offset, int units) {
        }

        private final Map<String, List<Arrival>> elementwise = new LinkedHashMap<>();

        Tracer(LayerGraph graph, Granularity granularity) {
            this.graph = graph;
            this.granularity = granularity;
        }

        PrunableLayout layout(List<String> producers) {
            Map<String, Traced> traced = new LinkedHashMap<>();
            for (String p : producers) {
                traced.put(p, trace(p));
            }
            // Producers meeting in an elementwise vertex are one segment; every input of it must be a producer.
            Map<String, String> group = new LinkedHashMap<>();
            producers.forEach(p -> group.put(p, p));
            for (Map.Entry<String, List<Arrival>> e : elementwise.entrySet()) {
                LayerGraph.Node vertex = graph.node(e.getKey());
                List<Arrival> arrivals = e.getValue();
                Set<Integer> covered = new TreeSet<>();
                for (Arrival a : arrivals) {
                    covered.add(a.position());
                    Arrival first = arrivals.get(0);
                    if (a.offset() != first.offset() || a.units() != first.units()) {
                        throw new IllegalArgumentException("Vertex '" + vertex.name() + "' (" + vertex.kind()
                                + ") combines " + first.units() + " units of '" + first.producer() + "' with "
                                + a.units() + " units of '" + a.producer() + "' at different positions; granularity '"
                                + granularity.configName() + "' cannot tie them. Exclude them with " + MaskSettings.EXCLUDE_KEY);
                    }
                }
                for (int i = 0; i < vertex.inputs().size(); i++) {
                    if (!covered.contains(i)) {
                        throw new IllegalArgumentException("Vertex '" + vertex.name() + "' (" + vertex.kind()
                                + ") combines the output of pruned layer '" + arrivals.get(0).producer() + "' with input '"
                                + vertex.inputs().get(i) + "', which is not pruned at granularity '"
                                + granularity.configName() + "' (excluded or not prunable). Exclude '"
                                + arrivals.get(0).producer() + "' with " + MaskSettings.EXCLUDE_KEY);
                    }
                }
                String root = find(group, arrivals.get(0).producer());
                for (Arrival a : arrivals) {
                    group.put(find(group, a.producer()), root);
                }
            }
            Map<String, List<String>> members = new LinkedHashMap<>();
            for (String p : producers) {
                members.computeIfAbsent(find(group, p), k -> new ArrayList<>()).add(p);
            }
            List<Segment> segments = new ArrayList<>();
            int offset = 0;
            for (List<String> ps : members.values()) {
                Set<Follower> followers = new LinkedHashSet<>();
                Set<Input> consumers = new LinkedHashSet<>();
                int units = traced.get(ps.get(0)).units();
                for (String p : ps) {
                    followers.addAll(traced.get(p).followers());
                    consumers.addAll(traced.get(p).consumers());
                }
                segments.add(new Segment(String.join("+", ps), units, offset, ps, List.copyOf(followers),
                        List.copyOf(consumers)));
                offset += units;
            }
            return new PrunableLayout(granularity, segments);
        }

        private static String find(Map<String, String> group, String p) {
            String root = p;
            while (!group.get(root).equals(root)) {
                root = group.get(root);
            }
            return root;
        }

        private record Traced(int units, List<Follower> followers, List<Input> consumers) {
        }

        private Traced trace(String producer) {
            int units = (int) graph.width(producer);
            if (units <= 0) {
                throw new IllegalArgumentException("Layer '" + producer + "' does not state its output size (nOut)");
            }
            Set<Follower> followers = new LinkedHashSet<>();
            Set<Input> consumers = new LinkedHashSet<>();
            Set<Flow> seen = new LinkedHashSet<>();
            Deque<Flow> todo = new ArrayDeque<>();
            todo.add(new Flow(producer, 0, units, 0, false));
            while (!todo.isEmpty()) {
                Flow flow = todo.poll();
                if (!seen.add(flow)) {
                    continue;
                }
                if (flow.node().equals(graph.output())) {
                    throw new IllegalArgumentException("The units of layer '" + producer + "' reach the network's output '"
                            + flow.node() + "' without passing a layer with weights; granularity '"
                            + granularity.configName() + "' cannot prune them. Exclude '" + producer + "' with "
                            + MaskSettings.EXCLUDE_KEY);
                }
                List<LayerGraph.Node> readers = graph.consumers(flow.node());
                if (readers.isEmpty()) {
                    throw new IllegalArgumentException("Nothing reads the output of '" + flow.node() + "'");
                }
                for (LayerGraph.Node reader : readers) {
                    for (int position = 0; position < reader.inputs().size(); position++) {
                        if (reader.inputs().get(position).equals(flow.node())) {
                            follow(producer, units, flow, reader, position, followers, consumers, todo);
                        }
                    }
                }
            }
            return new Traced(units, List.copyOf(followers), List.copyOf(consumers));
        }

        private void follow(String producer, int units, Flow flow, LayerGraph.Node reader, int position,
                            Set<Follower> followers, Set<Input> consumers, Deque<Flow> todo) {
            Flow in = new Flow(reader.name(), flow.offset(), flow.width(), flow.spatial(), flow.channelsLast());
            if (reader.preProcessor() != null) {
                in = preProcess(producer, in, reader, reader.preProcessor());
            }
            Layer layer = reader.layer();
            if (layer != null) {
                Class<?> type = layer.getClass();
                if (type == DenseLayer.class || type == OutputLayer.class) {
                    consumers.add(new Input(reader.name(), InputKind.DENSE_ROWS, in.offset(), in.width(), in.spatial(),
                            in.channelsLast()));
                } else if (type == ConvolutionLayer.class && in.spatial() == 0) {
                    consumers.add(new Input(reader.name(), InputKind.CONV_CHANNELS, in.offset(), in.width(), 0, false));
                } else if (layer instanceof BatchNormalization) {
                    // Behind a flatten it normalises each flattened feature on its own: the unit owns its h * w.
                    followers.add(in.spatial() == 0 ? new Follower(reader.name(), in.offset())
                            : new Follower(reader.name(), in.offset(), in.width(), in.spatial(), in.channelsLast()));
                    todo.add(in);
                } else if (layer instanceof ActivationLayer && LayerGraph.activation(layer) instanceof ActivationSoftmax) {
                    throw new IllegalArgumentException("Layer '" + reader.name() + "' (ActivationLayer) applies a"
                            + " softmax across the units of layer '" + producer + "', so a pruned unit still changes"
                            + " the kept ones; granularity '" + granularity.configName() + "' cannot prune through"
                            + " it. Exclude '" + producer + "' with " + MaskSettings.EXCLUDE_KEY);
                } else if (layer instanceof ActivationLayer || layer instanceof DropoutLayer) {
                    // Elementwise, so flattened features pass as they are (Keras import puts Flatten's
                    // preprocessor on the Dropout that follows it).
                    todo.add(in);
                } else if (in.spatial() == 0 && (layer instanceof SubsamplingLayer || layer instanceof GlobalPoolingLayer
                        || layer instanceof ZeroPaddingLayer || layer instanceof Upsampling2D
                        || layer instanceof Cropping2D)) {
                    todo.add(in);
                } else {
                    throw cannotFollow(producer, reader);
                }
            } else if (reader.vertex() instanceof MergeVertex merge && merge.getMergeAxis() != 1) {
                // DL4J sets axis 3 for channels-last (NHWC) maps; the rebuild concatenates along axis 1 only, so
                // such a graph is refused here rather than after the search.
                throw new IllegalArgumentException("Merge vertex '" + reader.name() + "' concatenates along axis "
                        + merge.getMergeAxis() + "; granularity '" + granularity.configName() + "' follows units"
                        + " through concatenations along axis 1 only (features, or channels of NCHW maps; DL4J uses"
                        + " axis 3 for NHWC maps). Exclude '" + producer
                        + "' with " + MaskSettings.EXCLUDE_KEY);
            } else if (reader.vertex() instanceof MergeVertex && in.spatial() == 0) {
                int before = 0;
                for (int i = 0; i < position; i++) {
                    long w = graph.width(reader.inputs().get(i));
                    if (w < 0) {
                        throw new IllegalArgumentException("Merge vertex '" + reader.name() + "': the size of its input '"
                                + reader.inputs().get(i) + "' is not in the configuration (no layer that reads it"
                                + " directly gives its nIn); exclude '" + producer + "' with " + MaskSettings.EXCLUDE_KEY);
                    }
                    before += (int) w;
                }
                todo.add(new Flow(reader.name(), before + in.offset(), (int) graph.width(reader.name()), 0, false));
            } else if (reader.vertex() instanceof ElementWiseVertex && in.spatial() == 0) {
                elementwise.computeIfAbsent(reader.name(), k -> new ArrayList<>())
                        .add(new Arrival(producer, position, in.offset(), units));
                todo.add(in);
            } else if (reader.vertex() instanceof ScaleVertex || reader.vertex() instanceof PreprocessorVertex) {
                todo.add(in);
            } else {
                throw cannotFollow(producer, reader);
            }
        }

        private Flow preProcess(String producer, Flow in, LayerGraph.Node reader, InputPreProcessor pre) {
            // TensorFlow's variant reorders to channels-last while reporting NCHW: its rows would be the wrong ones.
            if (pre instanceof CnnToFeedForwardPreProcessor flatten && in.spatial() == 0
                    && !(pre instanceof TensorFlowCnnToFeedForwardPreProcessor)) {
                int spatial = (int) (flatten.getInputHeight() * flatten.getInputWidth());
                return new Flow(in.node(), in.offset(), (int) flatten.getNumChannels(), spatial,
                        flatten.getFormat() == CNN2DFormat.NHWC);
            }
            throw new IllegalArgumentException("Layer '" + reader.name() + "' (" + reader.kind()
                    + ") reshapes the units of layer '" + producer
                    + "' with " + pre.getClass().getSimpleName() + ", which granularity '" + granularity.configName()
                    + "' cannot follow. Exclude '" + producer + "' with " + MaskSettings.EXCLUDE_KEY);
        }

        private IllegalArgumentException cannotFollow(String producer, LayerGraph.Node reader) {
            return new IllegalArgumentException("Layer '" + reader.name() + "' (" + reader.kind()
                    + ") reads the units of layer '" + producer + "'; granularity '" + granularity.configName()
                    + "' cannot prune through a " + reader.kind() + ". Exclude '" + producer + "' with "
                    + MaskSettings.EXCLUDE_KEY + " or choose another granularity");
        }
    }
}
