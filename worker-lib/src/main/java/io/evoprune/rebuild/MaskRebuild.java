package io.evoprune.rebuild;

import io.evoprune.mask.Granularity;
import io.evoprune.mask.LayerGraph;
import io.evoprune.mask.Mask;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.model.Network;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** A search's mask turned into a rebuild: the kept units of every pruned layer, read off the layout. */
public final class MaskRebuild {
    private MaskRebuild() {
    }

    /** Why a {@code weight} mask has no smaller dense network. */
    public static final String NO_DENSE_REBUILD = "a 'weight' mask removes single connections, which leaves every "
            + "layer's shape (and a dense network's size and speed) unchanged; no dense rebuild is possible, so the "
            + "masked network is exported with its sparsity reported";

    public static boolean rebuildable(Granularity granularity) {
        return granularity != Granularity.WEIGHT;
    }

    /**
     * Why masks of {@code layout} cannot be rebuilt on {@code net} (the granularity, or a layer or vertex the rebuild
     * does not support), or null when they can: tried on a mask that prunes one unit of every segment.
     */
    public static String refusal(Network net, PrunableLayout layout) {
        if (!rebuildable(layout.granularity())) {
            return NO_DENSE_REBUILD;
        }
        java.util.BitSet pruned = new java.util.BitSet();
        for (PrunableLayout.Segment s : layout.segments()) {
            if (s.units() > 1) {
                pruned.set(s.offset());
            }
        }
        try {
            rebuild(net, layout, Mask.of(layout.units(), u -> !pruned.get(u)));
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /**
     * Why fine-tuning the rebuilt network of a mask of {@code layout} would not train what fine-tuning the masked
     * full-size one trains, up to float rounding, or null when it would. Dropout and weight noise draw their random
     * numbers over a layer's whole width, which the rebuild shrinks, so the two forms drop different units from
     * then on (dropout on the network's input alone draws alike); a gradient normalisation over a layer or
     * parameter type sums the pruned weights' gradients too at full size.
     */
    public static String trainsDifferently(Network net, PrunableLayout layout) {
        LayerGraph graph = LayerGraph.of(net.configuration());
        java.util.Set<String> shrinking = new java.util.HashSet<>();
        for (PrunableLayout.Segment s : layout.segments()) {
            shrinking.addAll(s.producers());
            s.followers().forEach(f -> shrinking.add(f.layer()));
            s.consumers().forEach(c -> shrinking.add(c.layer()));
        }
        for (String name : net.layerNames()) {
            org.deeplearning4j.nn.conf.layers.Layer conf = net.layer(name).conf().getLayer();
            boolean readsInput = graph.node(name).inputs().stream().allMatch(i -> graph.node(i).isInput());
            if (conf.getIDropout() != null && !readsInput) {
                return "layer '" + name + "' has dropout, whose random units differ between the full-size and the"
                        + " smaller network";
            }
            if (conf instanceof org.deeplearning4j.nn.conf.layers.BaseLayer layer) {
                if (layer.getWeightNoise() != null && (shrinking.contains(name) || !readsInput)) {
                    return "layer '" + name + "' has weight noise, whose random numbers differ between the full-size"
                            + " and the smaller network";
                }
                org.deeplearning4j.nn.conf.GradientNormalization g = layer.getGradientNormalization();
                if (g != null && g != org.deeplearning4j.nn.conf.GradientNormalization.None
                        && g != org.deeplearning4j.nn.conf.GradientNormalization.ClipElementWiseAbsoluteValue
                        && shrinking.contains(name)) {
                    return "layer '" + name + "' normalises its gradients (" + g + ") over all its weights, the"
                            + " pruned ones too at full size";
                }
            }
        }
        return null;
    }

    /** Rebuilds {@code masked} without the units {@code mask} prunes (neuron or filter granularity). */
    public static Rebuilt rebuild(Network masked, PrunableLayout layout, Mask mask) {
        if (!rebuildable(layout.granularity())) {
            throw new IllegalArgumentException("Cannot rebuild: " + NO_DENSE_REBUILD);
        }
        if (mask.length() != layout.units()) {
            throw new IllegalArgumentException("The mask has " + mask.length() + " bits but the network has "
                    + layout.units() + " prunable units (" + layout.granularity().configName() + ")");
        }
        // Producers tied by an elementwise vertex share one segment, so they keep the same units.
        Map<String, int[]> kept = new HashMap<>();
        for (PrunableLayout.Segment s : layout.segments()) {
            int[] units = IntStream.range(0, s.units()).filter(u -> mask.isKept(s.offset() + u)).toArray();
            s.producers().forEach(p -> kept.put(p, units));
        }
        if (masked.model() instanceof MultiLayerNetwork net) {
            List<String> names = masked.layerNames();
            Map<Integer, int[]> byIndex = new HashMap<>();
            kept.forEach((name, units) -> byIndex.put(names.indexOf(name), units));
            return NetworkRebuilder.rebuild(net, byIndex);
        }
        return NetworkRebuilder.rebuild((ComputationGraph) masked.model(), kept);
    }
}
