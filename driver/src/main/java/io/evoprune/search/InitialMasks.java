package io.evoprune.search;

import io.evoprune.importance.Criterion;
import io.evoprune.importance.MaskRules;
import io.evoprune.importance.UnitScores;
import io.evoprune.mask.Mask;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.mask.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Informed initial masks: each keeps the top units by one importance criterion (the criteria taken in turn), at a
 * kept fraction drawn uniformly within {@link #SPREAD} of the initial keep probability, so the seeded part of the
 * population is both good and varied. The first round of criteria keeps that fraction of every layer, the next
 * keeps the top units across all layers (which leaves the layers their own shares: global magnitude pruning keeps
 * far more of a small last layer than of a large first one), and so on alternately: the search starts from both.
 * A criterion whose scores are on each layer's own scale (an L1 norm grows with fan-in) is ranked per layer in
 * every round, since across layers it would rank layer shapes ({@link Criterion#comparableAcrossLayers}).
 */
public final class InitialMasks {
    static final double SPREAD = 0.1;
    private static final long SEEDING_STREAM = 6;

    private InitialMasks() {
    }

    /** How many of a population of {@code population} the fraction seeds (rounded, at most all). */
    public static int count(int population, double fraction) {
        return Math.min(population, (int) Math.round(population * fraction));
    }

    public static List<Mask> seeded(List<UnitScores> criteria, PrunableLayout layout, int count, double keep,
                                    long runSeed) {
        if (count > 0 && criteria.isEmpty()) {
            throw new IllegalArgumentException("Seeding " + count + " masks needs at least one importance criterion");
        }
        SplittableRandom random = new SplittableRandom(Seeds.derive(runSeed, SEEDING_STREAM, 0));
        double min = 1.0 / layout.units();
        List<Mask> masks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            double fraction = Math.max(min, Math.min(1, keep + (2 * random.nextDouble() - 1) * SPREAD));
            UnitScores scores = criteria.get(i % criteria.size());
            boolean perLayer = (i / criteria.size()) % 2 == 0 || !scores.criterion().comparableAcrossLayers();
            masks.add(perLayer ? MaskRules.topPerLayer(scores, layout, fraction)
                    : MaskRules.topGlobal(scores, layout, fraction));
        }
        return masks;
    }
}
