package io.evoprune.rebuild;

import io.evoprune.mask.LayerGraph;
import io.evoprune.model.Network;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.graph.ShiftVertex;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Post-pruning reconstruction: from the output units each pruned layer keeps, builds a new network whose layers
 * are physically smaller (fewer units, and the matching inputs removed from every layer that reads them) and
 * copies the surviving weights. The updater configuration is kept; its state (e.g. Adam's moments) starts
 * fresh, since the smaller network is a new optimisation problem.
 */
public final class NetworkRebuilder {
    private NetworkRebuilder() {
    }

    /** Rebuilds a MultiLayerNetwork; {@code keptOutputs} maps a layer index to the output units it keeps. */
    public static Rebuilt rebuild(MultiLayerNetwork net, Map<Integer, int[]> keptOutputs) {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations().clone();
        int layers = conf.getConfs().size();
        for (int i : keptOutputs.keySet()) {
            if (i < 0 || i >= layers) {
                throw new IllegalArgumentException("Layer " + i + " of the mask does not exist: the network has "
                        + layers + " layers");
            }
        }
        Units[] in = new Units[layers];
        Units[] out = new Units[layers];
        Units flow = Units.all(-1);
        for (int i = 0; i < layers; i++) {
            Layer layer = conf.getConf(i).getLayer();
            String name = LayerGraph.layerName(layer, i);
            InputPreProcessor pre = conf.getInputPreProcess(i);
            if (pre != null) {
                flow = LayerSurgery.preprocess(pre, name, flow);
            }
            in[i] = flow;
            flow = LayerSurgery.resize(layer, name, flow, keptOutputs.get(i));
            out[i] = flow;
        }
        MultiLayerNetwork rebuilt = new MultiLayerNetwork(conf);
        rebuilt.init();
        List<LayerChange> changes = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            Layer before = net.getLayerWiseConfigurations().getConf(i).getLayer();
            Layer after = conf.getConf(i).getLayer();
            String name = LayerGraph.layerName(before, i);
            LayerSurgery.copyParameters(net.getLayer(i), rebuilt.getLayer(i), LayerSurgery.kind(before), in[i], out[i], name);
            changes.add(change(name, before, after, net.getLayer(i).numParams(), rebuilt.getLayer(i).numParams(),
                    in[i], out[i]));
        }
        return new Rebuilt(Network.of(rebuilt), changes);
    }

    /** Rebuilds a ComputationGraph; {@code keptOutputs} maps a layer vertex name to the output units it keeps. */
    public static Rebuilt rebuild(ComputationGraph graph, Map<String, int[]> keptOutputs) {
        ComputationGraphConfiguration conf = graph.getConfiguration().clone();
        Map<String, GraphVertex> vertices = conf.getVertices();
        for (String name : keptOutputs.keySet()) {
            if (!(vertices.get(name) instanceof LayerVertex)) {
                throw new IllegalArgumentException("Vertex " + name + " of the mask is not a layer of the graph; its layers are "
                        + layerNames(conf));
            }
        }
        Map<String, Units> outputs = new HashMap<>();
        // Network inputs are never pruned; their width (from the declared input types) matters only to a
        // concatenation with pruned units.
        io.evoprune.mask.LayerGraph layers = io.evoprune.mask.LayerGraph.of(conf);
        for (String input : conf.getNetworkInputs()) {
            outputs.put(input, Units.all((int) layers.width(input)));
        }
        Map<String, Units> layerInputs = new LinkedHashMap<>();
        for (String name : topologicalOrder(conf)) {
            GraphVertex vertex = vertices.get(name);
            List<String> inputs = conf.getVertexInputs().get(name);
            if (vertex instanceof LayerVertex lv) {
                if (inputs.size() != 1) {
                    throw new IllegalArgumentException("Layer vertex " + name + " has " + inputs.size()
                            + " inputs; the rebuild expects one (DL4J merges several through a MergeVertex)");
                }
                Units in = outputs.get(inputs.get(0));
                if (lv.getPreProcessor() != null) {
                    in = LayerSurgery.preprocess(lv.getPreProcessor(), name, in);
                }
                layerInputs.put(name, in);
                outputs.put(name, LayerSurgery.resize(lv.getLayerConf().getLayer(), name, in, keptOutputs.get(name)));
            } else {
                outputs.put(name, throughVertex(name, vertex, inputs, outputs));
            }
        }
        ComputationGraph rebuilt = new ComputationGraph(conf);
        rebuilt.init();
        List<LayerChange> changes = new ArrayList<>();
        for (Map.Entry<String, Units> e : layerInputs.entrySet()) {
            String name = e.getKey();
            Layer before = ((LayerVertex) graph.getConfiguration().getVertices().get(name)).getLayerConf().getLayer();
            Layer after = ((LayerVertex) vertices.get(name)).getLayerConf().getLayer();
            LayerSurgery.copyParameters(graph.getLayer(name), rebuilt.getLayer(name), LayerSurgery.kind(before),
                    e.getValue(), outputs.get(name), name);
            changes.add(change(name, before, after, graph.getLayer(name).numParams(), rebuilt.getLayer(name).numParams(),
                    e.getValue(), outputs.get(name)));
        }
        return new Rebuilt(Network.of(rebuilt), changes);
    }

    /** The units a non-layer vertex hands on: concatenation shifts them, element-wise ops need them aligned. */
    private static Units throughVertex(String name, GraphVertex vertex, List<String> inputs, Map<String, Units> outputs) {
        List<Units> in = new ArrayList<>();
        boolean complete = true;
        for (String input : inputs) {
            Units u = outputs.get(input);
            in.add(u);
            complete &= u.complete();
        }
        String what = "Vertex " + name + " (" + vertex.getClass().getSimpleName() + ")";
        if (vertex instanceof MergeVertex merge) {
            if (complete) {
                int width = 0;
                for (Units u : in) {
                    width = u.width() < 0 || width < 0 ? -1 : width + u.width();
                }
                return Units.all(width);
            }
            if (merge.getMergeAxis() != 1) {
                throw new IllegalArgumentException(what + " concatenates pruned activations along axis "
                        + merge.getMergeAxis() + "; the rebuild supports concatenation of channels or features (axis 1)");
            }
            List<Integer> kept = new ArrayList<>();
            int offset = 0;
            for (int i = 0; i < in.size(); i++) {
                Units u = in.get(i);
                if (u.width() < 0) {
                    throw new IllegalArgumentException(what + " concatenates pruned units with input " + inputs.get(i)
                            + " of unknown width (no layer that reads it directly gives its nIn)");
                }
                for (long k : u.indices()) {
                    kept.add(offset + (int) k);
                }
                offset += u.width();
            }
            return Units.of(offset, kept.stream().mapToInt(Integer::intValue).toArray());
        }
        if (vertex instanceof PreprocessorVertex pv && pv.getPreProcessor() != null) {
            return LayerSurgery.preprocess(pv.getPreProcessor(), name, in.get(0)); // e.g. a flatten as its own vertex
        }
        if (vertex instanceof ElementWiseVertex || vertex instanceof ScaleVertex || vertex instanceof ShiftVertex) {
            Units first = in.get(0);
            for (int i = 1; i < in.size(); i++) {
                if (!java.util.Arrays.equals(first.indices(), in.get(i).indices()) || first.width() != in.get(i).width()) {
                    throw new IllegalArgumentException(what + " combines inputs " + inputs
                            + " element-wise, but they keep different units; prune them with the same mask or not at all");
                }
            }
            return first;
        }
        if (!complete) {
            throw new IllegalArgumentException(what + " reads pruned units; the rebuild supports layer, merge,"
                    + " element-wise and preprocessor vertices after a pruned layer");
        }
        return Units.all(-1);
    }

    private static List<String> topologicalOrder(ComputationGraphConfiguration conf) {
        Map<String, Integer> pending = new HashMap<>();
        Map<String, List<String>> consumers = new HashMap<>();
        for (Map.Entry<String, List<String>> e : conf.getVertexInputs().entrySet()) {
            pending.put(e.getKey(), e.getValue().size());
            for (String input : e.getValue()) {
                consumers.computeIfAbsent(input, k -> new ArrayList<>()).add(e.getKey());
            }
        }
        // Sorted ready set: the order, and so any error, is the same on every run.
        TreeSet<String> ready = new TreeSet<>(conf.getNetworkInputs());
        List<String> order = new ArrayList<>();
        Deque<String> queue = new ArrayDeque<>(ready);
        while (!queue.isEmpty()) {
            String done = queue.poll();
            for (String consumer : consumers.getOrDefault(done, List.of())) {
                if (pending.merge(consumer, -1, Integer::sum) == 0) {
                    order.add(consumer);
                    queue.add(consumer);
                }
            }
        }
        return order;
    }

    private static LayerChange change(String name, Layer before, Layer after, long paramsBefore, long paramsAfter,
                                      Units in, Units out) {
        long inBefore = before instanceof FeedForwardLayer ff ? ff.getNIn() : in.width();
        long inAfter = after instanceof FeedForwardLayer ff ? ff.getNIn() : in.count();
        long outBefore = before instanceof FeedForwardLayer ff ? ff.getNOut() : out.width();
        long outAfter = after instanceof FeedForwardLayer ff ? ff.getNOut() : out.count();
        return new LayerChange(name, before.getClass().getSimpleName(), inBefore, inAfter, outBefore, outAfter,
                paramsBefore, paramsAfter);
    }

    private static List<String> layerNames(ComputationGraphConfiguration conf) {
        List<String> names = new ArrayList<>();
        conf.getVertices().forEach((n, v) -> {
            if (v instanceof LayerVertex) {
                names.add(n);
            }
        });
        return names;
    }
}
