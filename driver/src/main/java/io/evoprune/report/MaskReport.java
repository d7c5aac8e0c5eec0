package io.evoprune.report;

import io.evoprune.mask.LayerGraph;
import io.evoprune.mask.Mask;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.model.Network;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;

/**
 * A mask as people and tools read it: per layer, which units are kept; plus the raw bit string.
 *
 * @param base the model the mask was made for; null in files written before it was recorded, or by hand
 */
public record MaskReport(String granularity, int units, int kept, double keptFraction, List<LayerMask> layers,
                         String bits, Base base) {

    public record LayerMask(String name, List<String> layers, int units, int kept, List<Integer> keptIndices) {
    }

    /**
     * What tells the model a mask was made for from another with the same layer names and sizes: its parameter
     * count and the fan-in (nIn) of each masked layer. Not its weights: the run's pruned-model.zip (the same
     * parameters, some zeroed) and a retrained copy of the architecture take the mask as well.
     */
    public record Base(long parameters, Map<String, Long> inputs) {
        public static Base of(Network net, PrunableLayout layout) {
            LayerGraph graph = LayerGraph.of(net.configuration());
            Map<String, Long> inputs = new LinkedHashMap<>();
            for (PrunableLayout.Segment s : layout.segments()) {
                for (String layer : s.producers()) {
                    long nIn = fanIn(graph, layer);
                    if (nIn > 0) {
                        inputs.put(layer, nIn);
                    }
                }
            }
            return new Base(net.numParams(), inputs);
        }

        /** The layer's nIn as configured; 0 where the network has no such layer or it states none. */
        public static long fanIn(LayerGraph graph, String layer) {
            return graph.contains(layer) && graph.node(layer).layer() instanceof FeedForwardLayer ff ? ff.getNIn() : 0;
        }
    }

    /** The report of {@code mask} over {@code layout} of {@code base}, the model it was made for. */
    public static MaskReport of(Mask mask, PrunableLayout layout, Network base) {
        List<LayerMask> layers = new ArrayList<>();
        for (PrunableLayout.Segment s : layout.segments()) {
            List<Integer> kept = new ArrayList<>();
            for (int u = 0; u < s.units(); u++) {
                if (mask.isKept(s.offset() + u)) {
                    kept.add(u);
                }
            }
            layers.add(new LayerMask(s.name(), s.producers(), s.units(), kept.size(), kept));
        }
        return new MaskReport(layout.granularity().configName(), mask.length(), mask.keptCount(),
                mask.keptFraction(), layers, mask.toBitString(), Base.of(base, layout));
    }
}
