package io.evoprune.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.evoprune.config.StrategyConfig.Baseline;
import io.evoprune.importance.Criterion;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Importance and baseline seeds are derived from these enums' ordinals (StrategySearch, Baselines), so their order
 * is part of every seeded result: reordering or inserting a constant changes what a given search.seed gives.
 * Add new constants at the end, and change this test only on purpose.
 */
class SeedOrderTest {
    @Test
    void criteriaKeepTheirOrder() {
        assertEquals(List.of("MAGNITUDE", "L1", "TAYLOR", "ACTIVATION", "APOZ", "RANDOM"),
                List.of(Criterion.values()).stream().map(Enum::name).toList());
    }

    @Test
    void baselinesKeepTheirOrder() {
        assertEquals(List.of("MAGNITUDE_GLOBAL", "MAGNITUDE_LAYER", "THRESHOLD", "L1", "TAYLOR", "ACTIVATION", "APOZ",
                "RANDOM", "GREEDY_LAYER", "ITERATIVE", "GRADUAL_L1"),
                List.of(Baseline.values()).stream().map(Enum::name).toList());
    }
}
