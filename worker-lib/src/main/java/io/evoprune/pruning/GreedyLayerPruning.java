package io.evoprune.pruning;

import io.evoprune.mask.Mask;
import io.evoprune.mask.MaskApplier;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.model.NetworkBlueprint;
import java.util.List;
import io.evoprune.model.Network;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Greedy layer-by-layer pruning: layers are pruned one at a time, in order. In each layer every unit is
 * removed on its own and the rise in loss on sample examples measured; the units whose removal hurts least go,
 * until the layer keeps its share. Later layers are measured with the earlier ones already pruned, so the
 * choice accounts for what was removed before. No training happens here; the mask is fine-tuned like any other.
 */
public final class GreedyLayerPruning {
    private GreedyLayerPruning() {
    }

    public static Mask mask(Network base, PrunableLayout layout, DataSet sample, double keep) {
        if (!(keep > 0 && keep <= 1)) {
            throw new IllegalArgumentException("Kept fraction must be in (0, 1], but was " + keep);
        }
        io.evoprune.importance.Importance.requireDenseNeurons(base, layout, "Greedy layer pruning");
        Network net = Network.create(base.configuration(), base.params());
        boolean[] kept = new boolean[layout.units()];
        java.util.Arrays.fill(kept, true);
        for (PrunableLayout.Segment s : layout.segments()) {
            double before = net.score(sample);
            double[] rise = new double[s.units()];
            String producer = s.producers().get(0);
            INDArray weights = net.param(producer, "W");
            INDArray bias = net.param(producer, "b");
            List<INDArray> outgoing = s.consumers().stream().map(c -> net.param(c.layer(), "W")).toList();
            for (int u = 0; u < s.units(); u++) {
                INDArray column = weights.getColumn(u).dup();
                int unit = u;
                List<INDArray> rows = outgoing.stream().map(w -> w.getRow(unit).dup()).toList();
                double b = bias != null ? bias.getDouble(u) : 0;
                weights.getColumn(u).assign(0);
                outgoing.forEach(w -> w.getRow(unit).assign(0));
                if (bias != null) {
                    bias.putScalar(u, 0);
                }
                rise[u] = net.score(sample) - before;
                weights.getColumn(u).assign(column);
                for (int i = 0; i < outgoing.size(); i++) {
                    outgoing.get(i).getRow(u).assign(rows.get(i));
                }
                if (bias != null) {
                    bias.putScalar(u, b);
                }
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
            MaskApplier.apply(net, layout, Mask.of(layout.units(), i -> kept[i]));
        }
        return Mask.of(layout.units(), i -> kept[i]);
    }
}
