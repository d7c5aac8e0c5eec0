package io.evoprune.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.importance.Criterion;
import io.evoprune.importance.UnitScores;
import io.evoprune.mask.Granularity;
import io.evoprune.mask.Mask;
import io.evoprune.mask.PrunableLayout;
import java.util.List;
import org.junit.jupiter.api.Test;

class InitialMasksTest {
    @Test
    void seededMasksFollowTheirCriterionNearTheKeepProbability() {
        PrunableLayout layout = new PrunableLayout(Granularity.NEURON,
                List.of(new PrunableLayout.Segment("a", 100, 0, List.of("a"), List.of(), List.of())));
        double[] rising = new double[100];
        double[] falling = new double[100];
        for (int i = 0; i < 100; i++) {
            rising[i] = i;
            falling[i] = -i;
        }
        List<UnitScores> criteria = List.of(new UnitScores(Criterion.L1, rising),
                new UnitScores(Criterion.MAGNITUDE, falling));
        List<Mask> masks = InitialMasks.seeded(criteria, layout, 4, 0.5, 42);
        assertEquals(4, masks.size());
        for (int j = 0; j < 4; j++) {
            Mask m = masks.get(j);
            assertTrue(Math.abs(m.keptFraction() - 0.5) <= InitialMasks.SPREAD + 0.01, "kept " + m.keptFraction());
            // Criterion j % 2: rising keeps the top indices, falling the bottom ones.
            assertEquals(j % 2 == 0, m.isKept(99));
            assertEquals(j % 2 == 1, m.isKept(0));
        }
        assertEquals(masks, InitialMasks.seeded(criteria, layout, 4, 0.5, 42));
        assertEquals(8, InitialMasks.count(16, 0.5));
        assertEquals(16, InitialMasks.count(16, 1));
        assertEquals(0, InitialMasks.count(16, 0));
    }

    @Test
    void theRunSeedPicksTheFractionsWhichSpreadOnBothSidesOfTheKeepProbability() {
        PrunableLayout layout = new PrunableLayout(Granularity.NEURON,
                List.of(new PrunableLayout.Segment("a", 100, 0, List.of("a"), List.of(), List.of())));
        double[] rising = new double[100];
        for (int i = 0; i < 100; i++) {
            rising[i] = i;
        }
        List<UnitScores> criteria = List.of(new UnitScores(Criterion.MAGNITUDE, rising));
        // Another run seed, other seeded masks: the seeding stream is derived from the run's seed.
        assertNotEquals(InitialMasks.seeded(criteria, layout, 10, 0.5, 42),
                InitialMasks.seeded(criteria, layout, 10, 0.5, 43));
        // Fractions uniform in keep +- SPREAD: centred on keep (sigma of the mean 0.004), some masks below it.
        List<Mask> many = InitialMasks.seeded(criteria, layout, 200, 0.5, 42);
        double mean = many.stream().mapToDouble(Mask::keptFraction).average().orElseThrow();
        assertEquals(0.5, mean, 0.02);
        long below = many.stream().filter(m -> m.keptFraction() < 0.5).count();
        long above = many.stream().filter(m -> m.keptFraction() > 0.5).count();
        assertTrue(below > 50 && above > 50, below + " below, " + above + " above the keep probability");
    }

    @Test
    void roundsOfCriteriaAlternatePerLayerAndGlobalShares() {
        // Layer a's units all outscore layer b's: per layer, both keep their share; globally, a keeps most.
        PrunableLayout layout = new PrunableLayout(Granularity.NEURON, List.of(
                new PrunableLayout.Segment("a", 50, 0, List.of("a"), List.of(), List.of()),
                new PrunableLayout.Segment("b", 50, 50, List.of("b"), List.of(), List.of())));
        double[] scores = new double[100];
        for (int i = 0; i < 100; i++) {
            scores[i] = 100 - i;
        }
        List<Mask> masks = InitialMasks.seeded(List.of(new UnitScores(Criterion.MAGNITUDE, scores)), layout, 2, 0.5, 42);
        Mask perLayer = masks.get(0);
        Mask global = masks.get(1);
        assertEquals(kept(perLayer, 0, 50), kept(perLayer, 50, 100), 1, "per layer: equal shares");
        assertTrue(kept(global, 0, 50) == 50 || kept(global, 50, 100) == 1, "globally layer a's units go first (b "
                + "keeps only the one unit every rule leaves a layer, or what a cannot hold): " + global);
        assertTrue(kept(global, 0, 50) > kept(global, 50, 100) + 10, global.toString());
        assertTrue(global.isKept(0) && !global.isKept(99));

        // Two criteria: a round is one mask per criterion, so masks 0 and 1 are per layer, 2 and 3 global.
        assertEquals(List.of(true, true, false, false), equalShares(List.of(Criterion.MAGNITUDE, Criterion.TAYLOR),
                layout, scores));
        // An L1 norm is on its layer's own scale (it grows with fan-in): it is ranked per layer in every round.
        assertEquals(List.of(true, true, false, true), equalShares(List.of(Criterion.MAGNITUDE, Criterion.L1),
                layout, scores));
    }

    /** Per seeded mask (two rounds of the criteria), whether both layers kept the same share (to one unit). */
    private static List<Boolean> equalShares(List<Criterion> criteria, PrunableLayout layout, double[] scores) {
        List<UnitScores> all = criteria.stream().map(c -> new UnitScores(c, scores)).toList();
        return InitialMasks.seeded(all, layout, 2 * criteria.size(), 0.5, 42).stream()
                .map(m -> Math.abs(kept(m, 0, 50) - kept(m, 50, 100)) <= 1).toList();
    }

    private static int kept(Mask mask, int from, int to) {
        int n = 0;
        for (int u = from; u < to; u++) {
            n += mask.isKept(u) ? 1 : 0;
        }
        return n;
    }
}
