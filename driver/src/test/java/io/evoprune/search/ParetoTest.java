package io.evoprune.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Non-dominated sorting and crowding on fronts drawn by hand (both objectives minimised). */
class ParetoTest {
    //   size
    //    4 |  a           e
    //    3 |     b           f
    //    2 |        c
    //    1 |           d        g
    //      +-------------------------- error
    //         1  2  3  4  5  6  7
    private static final double[][] POINTS = {
            {1, 4}, // a: front 0
            {2, 3}, // b: front 0
            {3, 2}, // c: front 0
            {4, 1}, // d: front 0
            {5, 4}, // e: dominated by a, b, c, d -> front 1
            {6, 3}, // f: dominated by b, c, d -> front 1
            {7, 1}, // g: dominated by d only -> front 1
    };

    @Test
    void dominanceNeedsNoWorseEverywhereAndBetterSomewhere() {
        assertTrue(Pareto.dominates(new double[] {1, 2}, new double[] {1, 3}));
        assertFalse(Pareto.dominates(new double[] {1, 3}, new double[] {1, 3}));
        assertFalse(Pareto.dominates(new double[] {0, 4}, new double[] {1, 3}));
    }

    @Test
    void ranksSortIntoFronts() {
        // e, f and g are dominated only by front-0 points (none of them dominates another): all front 1.
        assertArrayEquals(new int[] {0, 0, 0, 0, 1, 1, 1}, Pareto.ranks(POINTS));
        // A chain: each point dominated by the previous one.
        assertArrayEquals(new int[] {0, 1, 2}, Pareto.ranks(new double[][] {{1, 1}, {2, 2}, {3, 3}}));
        // Duplicates do not dominate each other.
        assertArrayEquals(new int[] {0, 0}, Pareto.ranks(new double[][] {{1, 1}, {1, 1}}));
    }

    @Test
    void crowdingGivesExtremesInfinityAndInteriorTheNormalisedGap() {
        double[] d = Pareto.crowding(POINTS, new int[] {0, 1, 2, 3});
        assertEquals(Double.POSITIVE_INFINITY, d[0]);
        assertEquals(Double.POSITIVE_INFINITY, d[3]);
        // b: error neighbours 1 and 3 over range 3, size neighbours 4 and 2 over range 3 -> 2/3 + 2/3
        assertEquals(4.0 / 3, d[1], 1e-12);
        assertEquals(4.0 / 3, d[2], 1e-12);
        double[] uneven = Pareto.crowding(new double[][] {{0, 10}, {1, 9}, {9, 1}, {10, 0}}, new int[] {0, 1, 2, 3});
        // (1, 9): neighbours 0 and 9 in the first objective, 10 and 1 in the second: 9/10 + 9/10; (9, 1) likewise
        assertEquals(1.8, uneven[1], 1e-12);
        assertEquals(1.8, uneven[2], 1e-12);
        double[] clustered = Pareto.crowding(new double[][] {{0, 10}, {1, 9}, {2, 8}, {10, 0}}, new int[] {0, 1, 2, 3});
        // (1, 9) sits between (0, 10) and (2, 8): 2/10 + 2/10; (2, 8) between (1, 9) and (10, 0): 9/10 + 9/10
        assertEquals(0.4, clustered[1], 1e-12);
        assertEquals(1.8, clustered[2], 1e-12);
    }

    @Test
    void selectionTakesWholeFrontsThenTheLeastCrowded() {
        assertEquals(List.of(0, 1, 2, 3), Pareto.select(POINTS, 4));
        // Five places: front 0 whole, then one of front 1 (e, f, g): e and g are its extremes (infinite), e first by index.
        assertEquals(List.of(0, 1, 2, 3, 4), Pareto.select(POINTS, 5));
        double[][] clustered = {{0, 10}, {1, 9}, {2, 8}, {10, 0}};
        assertEquals(List.of(0, 3, 2), Pareto.select(clustered, 3));
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6), Pareto.select(POINTS, 9), "more places than points: every point");
    }
}
