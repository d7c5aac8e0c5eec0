package io.evoprune.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Floating-point operations of one forward pass of one example, counted from layer shapes: a dense (or
 * output) layer costs a multiply and an add per weight, so 2 FLOPs per kept weight; biases and activations
 * are not counted (they are a rounding error beside the matrix products). A pruned weight costs nothing, as
 * it would in the physically smaller network, so the count works for any granularity whose pruning shows in a
 * 0/1 parameter mask.
 */
public final class Flops {
    private Flops() {
    }

    /** FLOPs per example of the whole, unpruned network. */
    public static long perExample(MultiLayerNetwork net) {
        return perExample(net, Nd4j.ones(net.params().dataType(), net.numParams()));
    }

    /**
     * FLOPs per example of {@code net} with only the parameters where {@code parameterMask} is 1 (a 0/1 vector
     * over the flattened parameters, as {@link io.evoprune.mask.MaskApplier#parameterMask} builds).
     */
    public static long perExample(MultiLayerNetwork net, INDArray parameterMask) {
        if (parameterMask.length() != net.numParams()) {
            throw new IllegalArgumentException("The parameter mask has " + parameterMask.length()
                    + " entries but the network has " + net.numParams() + " parameters");
        }
        // A twin over the mask: DL4J's own per-layer views say which entries are which layer's weights.
        MultiLayerNetwork twin = new MultiLayerNetwork(net.getLayerWiseConfigurations().clone());
        twin.init(parameterMask.dup(), false);
        long flops = 0;
        for (int i = 0; i < twin.getnLayers(); i++) {
            Layer layer = twin.getLayer(i);
            if (layer.conf().getLayer() instanceof FeedForwardLayer && layer.paramTable().containsKey("W")) {
                flops += 2 * Math.round(layer.getParam("W").sumNumber().doubleValue());
            }
        }
        return flops;
    }
}
