package io.evoprune.rebuild;

import io.evoprune.model.Network;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Per-layer views of a network that the rebuild needs beyond {@link Network}'s own. */
final class Networks {
    private Networks() {
    }

    /** Every layer's activation for {@code features}, by layer name (LayerGraph's naming). */
    static Map<String, INDArray> activations(Network network, INDArray features) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        if (network.model() instanceof MultiLayerNetwork net) {
            var acts = net.feedForward(features, false);
            var names = network.layerNames();
            for (int i = 0; i < names.size(); i++) {
                out.put(names.get(i), acts.get(i + 1));
            }
            return out;
        }
        Map<String, INDArray> acts = ((ComputationGraph) network.model()).feedForward(features, false);
        for (String name : network.layerNames()) {
            out.put(name, acts.get(name));
        }
        return out;
    }

    /** Layers by name, in order. */
    static Map<String, org.deeplearning4j.nn.api.Layer> layers(Network network) {
        Map<String, org.deeplearning4j.nn.api.Layer> out = new LinkedHashMap<>();
        for (String name : network.layerNames()) {
            out.put(name, network.layer(name));
        }
        return out;
    }
}
