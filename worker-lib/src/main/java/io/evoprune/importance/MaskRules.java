package io.evoprune.importance;

import io.evoprune.mask.Mask;
import io.evoprune.mask.PrunableLayout;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Turns unit scores into masks, the way the classic pruners do: keep the top scores globally or per layer,
 * or keep what clears a per-layer threshold of mean + k * standard deviation. Every rule keeps at least one
 * unit per layer, since an emptied layer disconnects the network. Ties go to the lower unit index.
 */
public final class MaskRules {
    private MaskRules() {
    }

    /**
     * Keeps the round(keep * units) highest-scoring units across all layers (global magnitude pruning); only for
     * scores {@linkplain Criterion#comparableAcrossLayers comparable across layers}.
     */
    public static Mask topGlobal(UnitScores scores, PrunableLayout layout, double keep) {
        checkKeep(keep);
        if (!scores.criterion().comparableAcrossLayers()) {
            throw new IllegalArgumentException("Criterion '" + scores.criterion().configName() + "' scores units on"
                    + " each layer's own scale, so a global ranking would compare layer shapes; rank it per layer");
        }
        int n = layout.units();
        check(scores, layout);
        boolean[] kept = new boolean[n];
        Integer[] order = byScoreDescending(scores, 0, n);
        int count = Math.max(1, (int) Math.round(keep * n));
        for (int i = 0; i < count; i++) {
            kept[order[i]] = true;
        }
        keepOnePerLayer(kept, scores, layout);
        return Mask.of(n, i -> kept[i]);
    }

    /** Keeps the round(keep * layer units) highest-scoring units of each layer (layer-wise pruning). */
    public static Mask topPerLayer(UnitScores scores, PrunableLayout layout, double keep) {
        checkKeep(keep);
        check(scores, layout);
        boolean[] kept = new boolean[layout.units()];
        for (PrunableLayout.Segment s : layout.segments()) {
            Integer[] order = byScoreDescending(scores, s.offset(), s.offset() + s.units());
            int count = Math.max(1, (int) Math.round(keep * s.units()));
            for (int i = 0; i < count; i++) {
                kept[order[i]] = true;
            }
        }
        return Mask.of(layout.units(), i -> kept[i]);
    }

    /** Keeps, in each layer, the units scoring at least mean + k * (population) standard deviation of that layer. */
    public static Mask threshold(UnitScores scores, PrunableLayout layout, double k) {
        check(scores, layout);
        boolean[] kept = new boolean[layout.units()];
        for (PrunableLayout.Segment s : layout.segments()) {
            double mean = 0;
            for (int u = 0; u < s.units(); u++) {
                mean += scores.get(s.offset() + u);
            }
            mean /= s.units();
            double var = 0;
            for (int u = 0; u < s.units(); u++) {
                double d = scores.get(s.offset() + u) - mean;
                var += d * d;
            }
            double cut = mean + k * Math.sqrt(var / s.units());
            for (int u = 0; u < s.units(); u++) {
                kept[s.offset() + u] = scores.get(s.offset() + u) >= cut;
            }
        }
        keepOnePerLayer(kept, scores, layout);
        return Mask.of(layout.units(), i -> kept[i]);
    }

    private static void keepOnePerLayer(boolean[] kept, UnitScores scores, PrunableLayout layout) {
        for (PrunableLayout.Segment s : layout.segments()) {
            boolean any = false;
            for (int u = 0; u < s.units() && !any; u++) {
                any = kept[s.offset() + u];
            }
            if (!any) {
                kept[byScoreDescending(scores, s.offset(), s.offset() + s.units())[0]] = true;
            }
        }
    }

    private static Integer[] byScoreDescending(UnitScores scores, int from, int to) {
        Integer[] order = new Integer[to - from];
        for (int i = from; i < to; i++) {
            order[i - from] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -scores.get(i)).thenComparingInt(i -> i));
        return order;
    }

    private static void check(UnitScores scores, PrunableLayout layout) {
        if (scores.units() != layout.units()) {
            throw new IllegalArgumentException("Scores cover " + scores.units() + " units but the layout has "
                    + layout.units());
        }
    }

    private static void checkKeep(double keep) {
        if (!(keep > 0 && keep <= 1)) {
            throw new IllegalArgumentException("Kept fraction must be in (0, 1], but was " + keep);
        }
    }
}
