package io.evoprune.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Floating-point operations of one forward pass of one example, counted from layer shapes: a dense (or
 * output) layer costs a multiply and an add per weight, so 2 FLOPs per kept weight; biases and activations
 * are not counted (they are a rounding error beside the matrix products). A pruned weight costs nothing, as
 * it would in the physically smaller network, so the count works for any granularity whose pruning shows in a
 * 0/1 parameter mask. Other weighted layers (convolutions, whose cost depends on the feature-map size) are
 * refused, naming the layer, rather than miscounted.
 */
public final class Flops {
    private Flops() {
    }

    /** FLOPs per example of the whole, unpruned network. */
    public static long perExample(Network net) {
        return perExample(net, Nd4j.ones(net.dataType(), net.numParams()));
    }

    /**
     * FLOPs per example of {@code net} with only the parameters where {@code parameterMask} is 1 (a 0/1 vector
     * over the flattened parameters, as {@link io.evoprune.mask.MaskApplier#parameterMask} builds).
     */
    public static long perExample(Network net, INDArray parameterMask) {
        if (parameterMask.length() != net.numParams()) {
            throw new IllegalArgumentException("The parameter mask has " + parameterMask.length()
                    + " entries but the network has " + net.numParams() + " parameters");
        }
        // A twin over the mask: DL4J's own per-layer views say which entries are which layer's weights.
        Network twin = Network.create(net.configuration(), parameterMask);
        Layer[] layers = twin.model() instanceof MultiLayerNetwork mln ? mln.getLayers()
                : ((ComputationGraph) twin.model()).getLayers();
        long flops = 0;
        for (Layer layer : layers) {
            if (!layer.paramTable().containsKey("W")) {
                continue;
            }
            var conf = layer.conf().getLayer();
            if (!(conf instanceof DenseLayer || conf instanceof BaseOutputLayer)) {
                throw new IllegalArgumentException("FLOPs are counted for dense and output layers only, but layer '"
                        + conf.getLayerName() + "' is a " + conf.getClass().getSimpleName()
                        + " (use pareto.size-objective=parameters)");
            }
            flops += 2 * Math.round(layer.getParam("W").sumNumber().doubleValue());
        }
        return flops;
    }
}
