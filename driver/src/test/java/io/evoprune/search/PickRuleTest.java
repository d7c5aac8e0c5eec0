package io.evoprune.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.evoprune.evaluation.EvaluationResult;
import io.evoprune.mask.Mask;
import java.util.List;
import org.junit.jupiter.api.Test;

class PickRuleTest {
    private static ParetoPoint point(String bits, double accuracy, double size) {
        Mask m = Mask.parse(bits);
        return new ParetoPoint(m, new EvaluationResult(0, accuracy, accuracy, 0, m.keptFraction(), (long) size, 1, null),
                size, 2 * (long) size);
    }

    private final List<ParetoPoint> front = List.of(point("100", 0.80, 10), point("110", 0.86, 20),
            point("111", 0.875, 30));

    @Test
    void smallestWithinToleranceOfTheBase() {
        assertEquals(20, new PickRule(true, 0.01).choose(front, 0.87).size());
        assertEquals(10, new PickRule(true, 0.1).choose(front, 0.87).size());
        assertEquals(30, new PickRule(true, 0.001).choose(front, 0.87).size());
    }

    @Test
    void fallsBackToTheMostAccurateWhenNothingIsWithinTolerance() {
        assertEquals(30, new PickRule(true, 0.01).choose(front, 0.95).size());
        assertEquals(30, new PickRule(false, 0).choose(front, 0).size());
    }

    @Test
    void equalAccuracyGoesToTheSmallerPointAndEqualSizeToTheMoreAccurate() {
        // The larger of two equally accurate points is dominated: the most-accurate rule must not pick it,
        // whichever comes first in the front.
        ParetoPoint larger = point("111", 0.9, 30);
        ParetoPoint smaller = point("110", 0.9, 25);
        assertEquals(25, new PickRule(false, 0).choose(List.of(larger, smaller), 0.9).size());
        assertEquals(25, new PickRule(false, 0).choose(List.of(smaller, larger), 0.9).size());
        // Nothing within tolerance: the fallback is the most accurate, again the smaller of the tie.
        assertEquals(25, new PickRule(true, 0.01).choose(List.of(larger, smaller), 0.99).size());
        // Smallest within tolerance, two points of that size: the more accurate one, in either order.
        ParetoPoint worse = point("100", 0.85, 10);
        ParetoPoint better = point("010", 0.88, 10);
        assertEquals(0.88, new PickRule(true, 0.1).choose(List.of(worse, better, larger), 0.9).result().accuracy());
        assertEquals(0.88, new PickRule(true, 0.1).choose(List.of(better, worse, larger), 0.9).result().accuracy());
    }

    @Test
    void theConsoleIsToldWhichRulePickedThePoint() {
        PickRule rule = new PickRule(true, 0.01);
        assertEquals("the smallest point within 0.01 of the base's validation accuracy 0.8700 (0.8600)",
                rule.explain(rule.choose(front, 0.87), 0.87));
        assertEquals("no point is within 0.01 of the base's validation accuracy 0.9500, so the most accurate (0.8750);"
                + " raise pareto.pick-tolerance, or search longer, for a smaller one",
                rule.explain(rule.choose(front, 0.95), 0.95));
        assertEquals("the most accurate point (validation accuracy 0.8750)",
                new PickRule(false, 0).explain(front.get(2), 0.95));
    }
}
