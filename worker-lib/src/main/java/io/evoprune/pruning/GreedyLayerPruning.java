package io.evoprune.pruning;

import io.evoprune.importance.Importance;
import io.evoprune.mask.Mask;
import io.evoprune.mask.MaskApplier;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.model.Network;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Greedy layer-by-layer pruning: layers are pruned one at a time, in order. In each layer every unit is
 * removed on its own and the rise in loss on sample examples measured; the units whose removal hurts least go,
 * until the layer keeps its share. Later layers are measured with the earlier ones already pruned, so the
 * choice accounts for what was removed before. A unit is removed as a mask removes it (for a filter: its kernel,
 * bias, batch-norm channel and every consumer's matching inputs). No training happens here; the mask is
 * fine-tuned like any other.
 */
public final class GreedyLayerPruning {
    private GreedyLayerPruning() {
    }

    public static Mask mask(Network base, PrunableLayout layout, DataSet sample, double keep) {
        if (!(keep > 0 && keep <= 1)) {
            throw new IllegalArgumentException("Kept fraction must be in (0, 1], but was " + keep);
        }
        Importance.requireUnits(layout, "Greedy layer pruning");
        Network net = Network.create(base.configuration(), base.params());
        INDArray original = base.params().dup();
        boolean[] kept = new boolean[layout.units()];
        java.util.Arrays.fill(kept, true);
        for (PrunableLayout.Segment s : layout.segments()) {
            double before = scoreWith(net, layout, original, kept, sample);
            double[] rise = new double[s.units()];
            for (int u = 0; u < s.units(); u++) {
                kept[s.offset() + u] = false;
                rise[u] = scoreWith(net, layout, original, kept, sample) - before;
                kept[s.offset() + u] = true;
            }
            Integer[] order = new Integer[s.units()];
            for (int u = 0; u < s.units(); u++) {
                order[u] = u;
            }
            // Largest rise first: those are the units to keep; ties go to the lower index.
            java.util.Arrays.sort(order, java.util.Comparator.comparingDouble((Integer u) -> -rise[u])
                    .thenComparingInt(u -> u));
            int count = Math.max(1, (int) Math.round(keep * s.units()));
            for (int i = count; i < s.units(); i++) {
                kept[s.offset() + order[i]] = false;
            }
        }
        return Mask.of(layout.units(), i -> kept[i]);
    }

    /**
     * The loss on {@code sample} of the original parameters with only the {@code kept} units. The data loss alone: a
     * penalty on the weights falls with every unit removed, which would make large-weight units look unimportant.
     */
    private static double scoreWith(Network net, PrunableLayout layout, INDArray original, boolean[] kept,
                                    DataSet sample) {
        Mask mask = Mask.of(layout.units(), i -> kept[i]);
        net.params().assign(original.mul(MaskApplier.parameterMask(net, layout, mask)));
        return net.dataLoss(sample);
    }
}
