package io.evoprune.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Convolution2D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Multiply-adds of inference per example, counted from the layer shapes that one real forward pass shows: a dense
 * or output layer costs one per weight, a 2-D convolution one per kernel weight per output position, batch
 * normalisation one per output value. Pooling, activations and bias additions are not multiply-adds and are not
 * counted; nor are other layers with parameters (recurrent, depthwise, ...), which {@link #uncounted()} names.
 *
 * <p>Under a parameter mask (1 = kept, over the flattened parameters) a zeroed weight or batch-norm channel costs
 * nothing, as in the physically smaller network, so one count serves every granularity: a masked network and its
 * rebuilt form count the same. Output sizes do not depend on the mask, so the forward pass happens once, here.
 */
public final class Flops {
    /** A run of flat parameters [start, start + length) each of whose kept entries costs {@code perEntry}. */
    private record Cost(long start, long length, long perEntry) {
    }

    private final long numParams;
    private final List<Cost> costs;
    private final List<String> uncounted;

    private Flops(long numParams, List<Cost> costs, List<String> uncounted) {
        this.numParams = numParams;
        this.costs = List.copyOf(costs);
        this.uncounted = List.copyOf(uncounted);
    }

    /** The cost table of {@code net}, from one forward pass of {@code oneExample} (its values do not matter). */
    public static Flops of(Network net, INDArray oneExample) {
        if (oneExample.size(0) != 1) {
            throw new IllegalArgumentException("Multiply-adds are counted for one example, not " + oneExample.size(0));
        }
        Map<String, INDArray> activations = net.activations(oneExample);
        List<Cost> costs = new ArrayList<>();
        List<String> uncounted = new ArrayList<>();
        for (String name : net.layerNames()) {
            Layer layer = net.layer(name);
            if (layer.numParams() == 0) {
                continue;
            }
            var conf = layer.conf().getLayer();
            INDArray out = activations.get(name);
            Class<?> c = conf.getClass();
            if (conf instanceof DenseLayer || conf instanceof BaseOutputLayer) {
                // W is [nIn, nOut]; an output layer over time steps applies it once per step.
                costs.add(cost(net, name, "W", out.length() / layer.getParam("W").size(1)));
            } else if (c == ConvolutionLayer.class || c == Convolution2D.class) {
                // W is [nOut, nIn, kH, kW]; each kernel weight is used once per output position.
                costs.add(cost(net, name, "W", out.length() / layer.getParam("W").size(0)));
            } else if (conf instanceof BatchNormalization) {
                // One scale-and-shift per output value; "mean" is there whether or not gamma and beta are locked.
                costs.add(cost(net, name, "mean", out.length() / layer.getParam("mean").length()));
            } else {
                uncounted.add(name);
            }
        }
        return new Flops(net.numParams(), costs, uncounted);
    }

    /** The cost table of {@code net} for examples of shape {@code featureShape} (without the batch dimension). */
    public static Flops of(Network net, int[] featureShape) {
        long[] shape = new long[featureShape.length + 1];
        shape[0] = 1;
        for (int i = 0; i < featureShape.length; i++) {
            shape[i + 1] = featureShape[i];
        }
        return of(net, Nd4j.zeros(net.dataType(), shape));
    }

    /** Multiply-adds per example of {@code net} as it is. */
    public static long multiplyAdds(Network net, INDArray oneExample) {
        return of(net, oneExample).multiplyAdds();
    }

    /** Multiply-adds per example of the whole network. */
    public long multiplyAdds() {
        long total = 0;
        for (Cost c : costs) {
            total += c.length() * c.perEntry();
        }
        return total;
    }

    /** Multiply-adds per example with only the parameters where {@code parameterMask} is not 0. */
    public long multiplyAdds(INDArray parameterMask) {
        if (parameterMask.length() != numParams) {
            throw new IllegalArgumentException("The parameter mask has " + parameterMask.length()
                    + " entries but the network has " + numParams + " parameters");
        }
        INDArray flat = parameterMask.reshape(parameterMask.length());
        long total = 0;
        for (Cost c : costs) {
            INDArray run = flat.get(NDArrayIndex.interval(c.start(), c.start() + c.length()));
            total += run.neq(0).castTo(DataType.LONG).sumNumber().longValue() * c.perEntry();
        }
        return total;
    }

    /** FLOPs per example under {@code parameterMask}: two per multiply-add. */
    public long flops(INDArray parameterMask) {
        return 2 * multiplyAdds(parameterMask);
    }

    /** Layers with parameters whose cost this count leaves out, in layer order. */
    public List<String> uncounted() {
        return uncounted;
    }

    private static Cost cost(Network net, String layer, String key, long perEntry) {
        INDArray param = net.param(layer, key);
        return new Cost(param.offset() - net.params().offset(), param.length(), perEntry);
    }
}
