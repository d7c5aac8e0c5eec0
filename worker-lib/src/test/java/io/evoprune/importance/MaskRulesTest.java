package io.evoprune.importance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.evoprune.mask.Granularity;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.mask.PrunableLayout.Segment;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaskRulesTest {
    // Two layers: units 0-3 (layer a) and 4-5 (layer b).
    private final PrunableLayout layout = new PrunableLayout(Granularity.NEURON,
            List.of(new Segment("a", 4, 0, List.of("a"), List.of(), List.of()),
                    new Segment("b", 2, 4, List.of("b"), List.of(), List.of())));
    private final UnitScores scores = new UnitScores(Criterion.MAGNITUDE, new double[] {5, 1, 4, 1, 0.5, 0.2});

    @Test
    void globalKeepsTheTopScoresAcrossLayersButNeverEmptiesALayer() {
        // Top 3 of all are units 0, 2 and 1 (tie 1 vs 3 goes to the lower index); layer b would be empty,
        // so its best unit (4) is kept too.
        assertEquals("111010", MaskRules.topGlobal(scores, layout, 0.5).toBitString());
    }

    @Test
    void globalRankingRefusesScoresOnEachLayersOwnScale() {
        UnitScores l1 = new UnitScores(Criterion.L1, new double[] {5, 1, 4, 1, 0.5, 0.2});
        var e = assertThrows(IllegalArgumentException.class, () -> MaskRules.topGlobal(l1, layout, 0.5));
        assertEquals("Criterion 'l1' scores units on each layer's own scale, so a global ranking would compare layer"
                + " shapes; rank it per layer", e.getMessage());
        assertEquals("101010", MaskRules.topPerLayer(l1, layout, 0.5).toBitString());
    }

    @Test
    void perLayerKeepsTheTopShareOfEachLayer() {
        assertEquals("101010", MaskRules.topPerLayer(scores, layout, 0.5).toBitString());
        assertEquals("100010", MaskRules.topPerLayer(scores, layout, 0.1).toBitString());
    }

    @Test
    void perLayerRoundsTheKeptShareToTheNearestUnitHalvesUp() {
        // round(keep * units), as documented: 3.7 of 10 units keeps 4 and 2.5 keeps 3; flooring would keep 3 and 2.
        PrunableLayout ten = new PrunableLayout(Granularity.NEURON,
                List.of(new Segment("a", 10, 0, List.of("a"), List.of(), List.of())));
        UnitScores falling = new UnitScores(Criterion.MAGNITUDE, new double[] {10, 9, 8, 7, 6, 5, 4, 3, 2, 1});
        assertEquals("1111000000", MaskRules.topPerLayer(falling, ten, 0.37).toBitString());
        assertEquals("1110000000", MaskRules.topPerLayer(falling, ten, 0.25).toBitString());
        assertEquals("1111000000", MaskRules.topGlobal(falling, ten, 0.37).toBitString(), "the global rule likewise");
    }

    @Test
    void thresholdKeepsWhatClearsMeanPlusKSigmaPerLayer() {
        // layer a: mean 2.75, std sqrt(((2.25)^2 + (1.75)^2 * 2 + (1.25)^2) / 4) = 1.785...; layer b: mean 0.35, std 0.15
        assertEquals("101010", MaskRules.threshold(scores, layout, 0).toBitString());
        assertEquals("100010", MaskRules.threshold(scores, layout, 1).toBitString());
        assertEquals("111111", MaskRules.threshold(scores, layout, -1.1).toBitString());
    }

    @Test
    void rejectsScoresOfAnotherLayout() {
        assertThrows(IllegalArgumentException.class,
                () -> MaskRules.topPerLayer(new UnitScores(Criterion.L1, new double[] {1, 2}), layout, 0.5));
    }
}
