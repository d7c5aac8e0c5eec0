package io.evoprune.evaluation;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FitnessTest {
    @Test
    void penalisesOnlyTheKeptFractionAboveTheTarget() {
        Fitness f = new Fitness(0.5, 0.5);
        assertEquals(0.9, f.of(0.9, 0.3), 1e-12);
        assertEquals(0.9, f.of(0.9, 0.5), 1e-12);
        assertEquals(0.9 - 0.5 * 0.2, f.of(0.9, 0.7), 1e-12);
        assertTrue(Fitness.WORST < f.of(0, 1));
        // Read back, as the report does for a regression's metric: the inverse of of, and the sign undone.
        assertEquals(0.9, f.score(f.of(0.9, 0.7), 0.7), 1e-12);
        assertEquals(0.25, Metric.MSE.signed(new Fitness(Metric.MSE, 0.5, 2).score(-0.25 - 2 * 0.1, 0.6)), 1e-12);
        assertEquals(0.8, Metric.R2.signed(0.8), 0);
    }

    @Test
    void rejectsTargetsOutsideTheUnitInterval() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Fitness(0, 0.5));
        assertTrue(e.getMessage().startsWith("fitness.target-kept-fraction"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Fitness(1.01, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new Fitness(Double.NaN, 0.5));
        var p = assertThrows(IllegalArgumentException.class, () -> new Fitness(0.5, -1));
        assertTrue(p.getMessage().startsWith("fitness.penalty"), p.getMessage());
    }

    @Test
    void theClosedEndsOfTheRangesAreAccepted() {
        assertDoesNotThrow(() -> new Fitness(1.0, 0)); // target 1: no size pressure
        assertDoesNotThrow(() -> new Fitness(1.0, 1000));
        assertThrows(IllegalArgumentException.class, () -> new Fitness(0.5, 1000.5));
    }

    @Test
    void sizeMeasuresParseFromConfigurationAndABadOneNamesTheKey() {
        assertEquals(Fitness.Size.FLOPS, Fitness.Size.parse("fitness.size", "flops"));
        assertEquals(Fitness.Size.UNITS, new Fitness(0.5, 0.5).size());
        var e = assertThrows(IllegalArgumentException.class, () -> Fitness.Size.parse("fitness.size", "latency"));
        assertEquals("fitness.size must be one of units, parameters, flops, but was 'latency'", e.getMessage());
    }

    @Test
    void lossLikeMetricsAreNegatedSoThatHigherIsAlwaysBetter() {
        Scores regression = new Scores(true, Double.NaN, 0.3, Double.NaN, Double.NaN, Double.NaN, 0.2, 0.4, 0.7);
        assertEquals(-0.3, Metric.LOSS.score(regression), 1e-12);
        assertEquals(-0.2, Metric.MSE.score(regression), 1e-12);
        assertEquals(-0.4, Metric.MAE.score(regression), 1e-12);
        assertEquals(0.7, Metric.R2.score(regression), 1e-12);
        Scores classes = new Scores(false, 0.9, 0.3, 0.8, 0.7, 0.6, Double.NaN, Double.NaN, Double.NaN);
        assertEquals(0.9, Metric.ACCURACY.score(classes), 1e-12);
        assertEquals(0.6, Metric.F1.score(classes), 1e-12);
        // The fitness of a lower loss is the higher one, and the penalty comes off the negated value.
        Fitness onMse = new Fitness(Metric.MSE, 0.5, 1);
        assertEquals(-0.2 - 0.1, onMse.of(regression, 0.6), 1e-12);
        assertTrue(onMse.of(regression, 0.5) > onMse.of(new Scores(true, Double.NaN, 0.3, Double.NaN, Double.NaN,
                Double.NaN, 0.25, 0.4, 0.7), 0.5));
    }
}
