package io.evoprune.mask;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.nd4j.linalg.activations.IActivation;

/**
 * A network's topology in one form for both DL4J network kinds: named nodes (layers, graph vertices and the
 * network input) with their inputs, in topological order. A MultiLayerNetwork is the chain
 * input -> layer0 -> layer1 -> ...; its layers are named by their configured names, or {@code layer<i>}.
 */
public final class LayerGraph {
    /** The name of the network-input node of a MultiLayerNetwork. */
    public static final String MLN_INPUT = "(input)";

    /**
     * One node. Exactly one of {@code layer} and {@code vertex} is set, except for network inputs (neither).
     *
     * @param preProcessor applied to the node's input before its layer or vertex, or null
     */
    public record Node(String name, Layer layer, GraphVertex vertex, InputPreProcessor preProcessor,
                       List<String> inputs) {
        public boolean isInput() {
            return layer == null && vertex == null;
        }

        /** The layer's or vertex's class name, for messages. */
        public String kind() {
            return layer != null ? layer.getClass().getSimpleName()
                    : vertex != null ? vertex.getClass().getSimpleName() : "network input";
        }
    }

    private final Map<String, Node> nodes;
    private final String output;
    private final Map<String, List<String>> consumers = new HashMap<>();
    private final Map<String, Long> widths = new HashMap<>();

    private LayerGraph(Map<String, Node> nodes, String output) {
        this.nodes = Collections.unmodifiableMap(nodes);
        this.output = output;
        for (Node n : nodes.values()) {
            for (String in : n.inputs()) {
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n.name());
            }
        }
    }

    /** The graph of a MultiLayerConfiguration or a ComputationGraphConfiguration. */
    public static LayerGraph of(Object configuration) {
        if (configuration instanceof MultiLayerConfiguration conf) {
            return of(conf);
        }
        if (configuration instanceof ComputationGraphConfiguration conf) {
            return of(conf);
        }
        throw new IllegalArgumentException("Not a DL4J network configuration: " + configuration);
    }

    public static LayerGraph of(MultiLayerConfiguration conf) {
        Map<String, Node> nodes = new LinkedHashMap<>();
        nodes.put(MLN_INPUT, new Node(MLN_INPUT, null, null, null, List.of()));
        String previous = MLN_INPUT;
        for (int i = 0; i < conf.getConfs().size(); i++) {
            Layer layer = conf.getConf(i).getLayer();
            String name = layerName(layer, i);
            if (nodes.containsKey(name)) {
                throw new IllegalArgumentException("Two layers of the network are named '" + name + "'");
            }
            nodes.put(name, new Node(name, layer, null, conf.getInputPreProcess(i), List.of(previous)));
            previous = name;
        }
        return new LayerGraph(nodes, previous);
    }

    public static LayerGraph of(ComputationGraphConfiguration conf) {
        Map<String, Node> unordered = new LinkedHashMap<>();
        for (String in : conf.getNetworkInputs()) {
            unordered.put(in, new Node(in, null, null, null, List.of()));
        }
        for (Map.Entry<String, GraphVertex> e : conf.getVertices().entrySet()) {
            String name = e.getKey();
            GraphVertex v = e.getValue();
            List<String> inputs = List.copyOf(conf.getVertexInputs().getOrDefault(name, List.of()));
            if (v instanceof LayerVertex lv) {
                nodes(unordered, new Node(name, lv.getLayerConf().getLayer(), null, lv.getPreProcessor(), inputs));
            } else if (v instanceof PreprocessorVertex pv) {
                nodes(unordered, new Node(name, null, v, pv.getPreProcessor(), inputs));
            } else {
                nodes(unordered, new Node(name, null, v, null, inputs));
            }
        }
        // Kahn's algorithm, ties in declaration order: a stable topological order.
        Map<String, Integer> pending = new HashMap<>();
        Map<String, List<String>> out = new HashMap<>();
        for (Node n : unordered.values()) {
            pending.put(n.name(), n.inputs().size());
            for (String in : n.inputs()) {
                out.computeIfAbsent(in, k -> new ArrayList<>()).add(n.name());
            }
        }
        Map<String, Node> ordered = new LinkedHashMap<>();
        Deque<String> ready = new ArrayDeque<>();
        unordered.values().stream().filter(n -> n.inputs().isEmpty()).forEach(n -> ready.add(n.name()));
        while (!ready.isEmpty()) {
            String name = ready.poll();
            ordered.put(name, unordered.get(name));
            for (String next : out.getOrDefault(name, List.of())) {
                if (pending.merge(next, -1, Integer::sum) == 0) {
                    ready.add(next);
                }
            }
        }
        if (ordered.size() != unordered.size()) {
            throw new IllegalArgumentException("The ComputationGraph has a cycle or an input that is not a vertex");
        }
        return new LayerGraph(ordered, conf.getNetworkOutputs().get(0));
    }

    /**
     * A network input's features or channels, from a layer that reads it directly (the configuration keeps no
     * input types, but setInputTypes gave those layers their nIn or a flattening preprocessor); -1 if none does.
     */
    private long inputWidth(String input) {
        for (Node r : consumers(input)) {
            if (r.preProcessor() instanceof org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor p) {
                return p.getInputHeight() * p.getInputWidth() * p.getNumChannels();
            }
            Layer layer = r.layer() instanceof org.deeplearning4j.nn.conf.layers.misc.FrozenLayer f ? f.getLayer()
                    : r.layer() instanceof org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop f
                    ? f.getUnderlying() : r.layer();
            if (r.preProcessor() == null && layer instanceof FeedForwardLayer ff && ff.getNIn() > 0) {
                return ff.getNIn();
            }
        }
        return -1;
    }

    private static void nodes(Map<String, Node> nodes, Node n) {
        nodes.put(n.name(), n);
    }

    /** A MultiLayerNetwork layer's name: its configured name, else {@code layer<index>}. */
    public static String layerName(Layer layer, int index) {
        String name = layer.getLayerName();
        return name == null || name.isBlank() ? "layer" + index : name;
    }

    /**
     * The activation function a layer applies: its own for weighted and batch-norm layers, the one an
     * ActivationLayer applies; null for layers without one (pooling, dropout, ...).
     */
    public static IActivation activation(Layer layer) {
        return layer instanceof BaseLayer b ? b.getActivationFn()
                : layer instanceof ActivationLayer a ? a.getActivationFn() : null;
    }

    /** All nodes in topological order (inputs first). */
    public List<Node> nodes() {
        return List.copyOf(nodes.values());
    }

    public Node node(String name) {
        Node n = nodes.get(name);
        if (n == null) {
            throw new IllegalArgumentException("The network has no layer or vertex named '" + name + "'");
        }
        return n;
    }

    public boolean contains(String name) {
        return nodes.containsKey(name);
    }

    /** The names of the nodes that have a layer, in topological order. */
    public List<String> layerNames() {
        return nodes.values().stream().filter(n -> n.layer() != null).map(Node::name).toList();
    }

    /** The nodes that read {@code name}'s output, in topological order (a node reading it twice appears once). */
    public List<Node> consumers(String name) {
        return consumers.getOrDefault(name, List.of()).stream().distinct().map(nodes::get).toList();
    }

    /** The node whose output is the network's output. */
    public String output() {
        return output;
    }

    /**
     * Features (dense) or channels (convolutional) of a node's output; -1 when the configuration does not
     * say (a network input without declared input types, or a layer whose size DL4J infers at initialisation).
     */
    public long width(String name) {
        Long cached = widths.get(name);
        if (cached != null) {
            return cached;
        }
        Node n = node(name);
        long w;
        if (n.isInput()) {
            w = inputWidth(name);
        } else if (n.layer() instanceof FeedForwardLayer ff && ff.getNOut() > 0) {
            w = ff.getNOut();
        } else if (n.vertex() instanceof MergeVertex) {
            w = 0;
            for (String in : n.inputs()) {
                long wi = width(in);
                if (wi < 0) {
                    w = -1;
                    break;
                }
                w += wi;
            }
        } else if (n.layer() == null && n.preProcessor() instanceof CnnToFeedForwardPreProcessor p) {
            w = p.getInputHeight() * p.getInputWidth() * p.getNumChannels();
        } else {
            w = n.inputs().isEmpty() ? -1 : width(n.inputs().get(0));
        }
        widths.put(name, w);
        return w;
    }
}
