package io.evoprune.rebuild;

import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The few operations the rebuild needs from either kind of DL4J network. */
public final class Networks {
    private Networks() {
    }

    /** Inference output (the single output of a graph). */
    public static INDArray output(Model model, INDArray features) {
        if (model instanceof MultiLayerNetwork net) {
            return net.output(features, false);
        }
        if (model instanceof ComputationGraph graph) {
            if (graph.getNumInputArrays() != 1 || graph.getNumOutputArrays() != 1) {
                throw new IllegalArgumentException("The graph has " + graph.getNumInputArrays() + " inputs and "
                        + graph.getNumOutputArrays() + " outputs; evoprune handles graphs with one of each");
            }
            return graph.outputSingle(false, features);
        }
        throw new IllegalArgumentException("Unsupported model type " + model.getClass().getName());
    }

    /** Every layer's activation for {@code features}, keyed by layer name (inputs excluded), in order. */
    static Map<String, INDArray> activations(Model model, INDArray features) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        if (model instanceof MultiLayerNetwork net) {
            var acts = net.feedForward(features, false);
            for (int i = 0; i < net.getnLayers(); i++) {
                out.put(NetworkRebuilder.name(net.getLayerWiseConfigurations().getConf(i).getLayer(), i), acts.get(i + 1));
            }
            return out;
        }
        ComputationGraph graph = (ComputationGraph) model;
        Map<String, INDArray> acts = graph.feedForward(features, false);
        for (org.deeplearning4j.nn.api.Layer layer : graph.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            out.put(name, acts.get(name));
        }
        return out;
    }

    /** Layers by the names {@link #activations} uses. */
    static Map<String, org.deeplearning4j.nn.api.Layer> layers(Model model) {
        Map<String, org.deeplearning4j.nn.api.Layer> out = new LinkedHashMap<>();
        if (model instanceof MultiLayerNetwork net) {
            for (int i = 0; i < net.getnLayers(); i++) {
                out.put(NetworkRebuilder.name(net.getLayerWiseConfigurations().getConf(i).getLayer(), i), net.getLayer(i));
            }
        } else {
            for (org.deeplearning4j.nn.api.Layer layer : ((ComputationGraph) model).getLayers()) {
                out.put(layer.conf().getLayer().getLayerName(), layer);
            }
        }
        return out;
    }
}
