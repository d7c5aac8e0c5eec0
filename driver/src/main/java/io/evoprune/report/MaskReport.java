package io.evoprune.report;

import io.evoprune.mask.Mask;
import io.evoprune.mask.PrunableLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * A mask as people and tools read it: per layer, which units are kept; plus the raw bit string.
 */
public record MaskReport(String granularity, int units, int kept, double keptFraction, List<LayerMask> layers,
                         String bits) {

    public record LayerMask(String name, List<String> layers, int units, int kept, List<Integer> keptIndices) {
    }

    public static MaskReport of(Mask mask, PrunableLayout layout) {
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
                mask.keptFraction(), layers, mask.toBitString());
    }
}
