package io.evoprune.mask;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * Which bits of a mask belong to which layer: the genome's map onto a network. Segments are laid out in
 * layer order, so bit {@code segment.offset() + u} is unit {@code u} of that segment's layer.
 */
public record PrunableLayout(Granularity granularity, List<Segment> segments) implements Serializable {

    /** One prunable layer: {@code units} bits starting at {@code offset}; {@code consumer} reads its output. */
    public record Segment(int layer, String name, int units, int offset, int consumer) implements Serializable {
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
            StringBuilder layers = new StringBuilder();
            for (Segment s : segments) {
                layers.append(layers.length() == 0 ? "" : " + ").append(s.units()).append(" in ").append(s.name());
            }
            throw new IllegalArgumentException(source + " holds a mask of " + mask.length() + " bits, but the network has "
                    + units() + " prunable " + granularity.configName() + "s (" + layers + ")");
        }
    }

    /** The layout of a MultiLayerNetwork: every hidden dense layer is prunable, the output layer never is. */
    public static PrunableLayout of(MultiLayerConfiguration conf, Granularity granularity) {
        List<Segment> segments = new ArrayList<>();
        int layers = conf.getConfs().size();
        int offset = 0;
        for (int i = 0; i < layers; i++) {
            Layer layer = conf.getConf(i).getLayer();
            if (layer instanceof DenseLayer dense && !(layer instanceof BaseOutputLayer)) {
                int consumer = nextWithWeights(conf, i);
                int units = (int) dense.getNOut();
                segments.add(new Segment(i, layerName(layer, i), units, offset, consumer));
                offset += units;
            }
        }
        return new PrunableLayout(granularity, segments);
    }

    private static int nextWithWeights(MultiLayerConfiguration conf, int layer) {
        for (int j = layer + 1; j < conf.getConfs().size(); j++) {
            Layer next = conf.getConf(j).getLayer();
            if (next instanceof FeedForwardLayer) {
                if (!(next instanceof DenseLayer) && !(next instanceof BaseOutputLayer)) {
                    throw new IllegalArgumentException("Layer " + j + " (" + next.getClass().getSimpleName()
                            + ") follows prunable dense layer " + layer + "; granularity 'neuron' supports dense"
                            + " and output layers only");
                }
                return j;
            }
        }
        throw new IllegalArgumentException("Dense layer " + layer + " has no consumer layer with weights");
    }

    static String layerName(Layer layer, int index) {
        String name = layer.getLayerName();
        return name == null || name.isBlank() ? "layer" + index : name;
    }
}
