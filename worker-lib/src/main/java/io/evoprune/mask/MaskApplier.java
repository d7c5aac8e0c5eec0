package io.evoprune.mask;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns a unit mask into a 0/1 vector over a network's flattened parameters. Multiplying the parameters by
 * it prunes the units; multiplying again after every update keeps them pruned (see {@link MaskEnforcer}).
 */
public final class MaskApplier {
    private MaskApplier() {
    }

    public static INDArray parameterMask(MultiLayerNetwork net, PrunableLayout layout, Mask mask) {
        layout.requireFits(mask, "The mask to apply");
        // A twin network whose parameters are a ones-vector: its per-layer views tell us, in DL4J's own
        // layout, where each unit's weights sit in the flat vector.
        INDArray ones = Nd4j.ones(net.params().dataType(), net.numParams());
        MultiLayerNetwork twin = new MultiLayerNetwork(net.getLayerWiseConfigurations().clone());
        twin.init(ones, false);
        for (PrunableLayout.Segment s : layout.segments()) {
            Layer layer = twin.getLayer(s.layer());
            INDArray weights = layer.getParam("W");
            INDArray bias = layer.getParam("b");
            INDArray outgoing = twin.getLayer(s.consumer()).getParam("W");
            for (int u = 0; u < s.units(); u++) {
                if (!mask.isKept(s.offset() + u)) {
                    weights.getColumn(u).assign(0);
                    if (bias != null) {
                        bias.reshape(bias.length()).putScalar(u, 0);
                    }
                    outgoing.getRow(u).assign(0);
                }
            }
        }
        return ones;
    }

    /** Zeroes the pruned units' parameters in place and returns the parameter mask used. */
    public static INDArray apply(MultiLayerNetwork net, PrunableLayout layout, Mask mask) {
        INDArray parameterMask = parameterMask(net, layout, mask);
        net.params().muli(parameterMask);
        return parameterMask;
    }
}
