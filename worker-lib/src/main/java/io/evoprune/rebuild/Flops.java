package io.evoprune.rebuild;

import java.util.Map;
import io.evoprune.model.Network;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Multiply-adds per example of inference, counted from the layer shapes: dense = nIn * nOut, 2-D convolution =
 * kernel weights * output positions, batch normalisation = one per output value. Pooling, activations and
 * additions of biases are not counted (they are not multiply-adds, and cost little next to them).
 */
public final class Flops {
    private Flops() {
    }

    /** Multiply-adds for one example, from one real forward pass of {@code oneExample}. */
    public static long multiplyAdds(Network model, INDArray oneExample) {
        Map<String, INDArray> activations = Networks.activations(model, oneExample);
        long total = 0;
        for (Map.Entry<String, org.deeplearning4j.nn.api.Layer> e : Networks.layers(model).entrySet()) {
            org.deeplearning4j.nn.api.Layer layer = e.getValue();
            INDArray out = activations.get(e.getKey());
            total += switch (LayerSurgery.kind(layer.conf().getLayer())) {
                case DENSE -> layer.getParam("W").length();
                case CONV -> layer.getParam("W").length() * (out.length() / layer.getParam("W").size(0));
                case BATCH_NORM -> out.length();
                default -> 0;
            };
        }
        return total;
    }
}
