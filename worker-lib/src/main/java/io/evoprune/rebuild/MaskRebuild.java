package io.evoprune.rebuild;

import io.evoprune.mask.Mask;
import io.evoprune.mask.PrunableLayout;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** A search's mask turned into a rebuild: the kept units of every pruned layer, read off the layout. */
public final class MaskRebuild {
    private MaskRebuild() {
    }

    public static Rebuilt rebuild(Model model, PrunableLayout layout, Mask mask) {
        if (mask.length() != layout.units()) {
            throw new IllegalArgumentException("The mask has " + mask.length() + " bits but the network has "
                    + layout.units() + " prunable units (" + layout.granularity().configName() + ")");
        }
        Map<Integer, int[]> kept = new HashMap<>();
        for (PrunableLayout.Segment s : layout.segments()) {
            kept.put(s.layer(), IntStream.range(0, s.units()).filter(u -> mask.isKept(s.offset() + u)).toArray());
        }
        return NetworkRebuilder.rebuild((MultiLayerNetwork) model, kept);
    }
}
