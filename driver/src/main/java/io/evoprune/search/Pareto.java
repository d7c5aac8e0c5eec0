package io.evoprune.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * NSGA-II's two orderings (Deb et al. 2002) over points whose objectives are all minimised: non-dominated
 * sorting into fronts (rank 0 = the Pareto front) and the crowding distance within a front.
 */
public final class Pareto {
    private Pareto() {
    }

    /** True when {@code a} is no worse than {@code b} in every objective and better in at least one. */
    public static boolean dominates(double[] a, double[] b) {
        boolean better = false;
        for (int i = 0; i < a.length; i++) {
            if (a[i] > b[i]) {
                return false;
            }
            better |= a[i] < b[i];
        }
        return better;
    }

    /** The front index of every point: 0 for the non-dominated ones, 1 for those dominated only by rank 0, ... */
    public static int[] ranks(double[][] points) {
        int n = points.length;
        int[] rank = new int[n];
        int[] dominatedBy = new int[n];
        List<List<Integer>> dominates = new ArrayList<>();
        List<Integer> front = new ArrayList<>();
        for (int p = 0; p < n; p++) {
            dominates.add(new ArrayList<>());
            for (int q = 0; q < n; q++) {
                if (dominates(points[p], points[q])) {
                    dominates.get(p).add(q);
                } else if (dominates(points[q], points[p])) {
                    dominatedBy[p]++;
                }
            }
            if (dominatedBy[p] == 0) {
                front.add(p);
            }
        }
        int level = 0;
        while (!front.isEmpty()) {
            List<Integer> next = new ArrayList<>();
            for (int p : front) {
                rank[p] = level;
                for (int q : dominates.get(p)) {
                    if (--dominatedBy[q] == 0) {
                        next.add(q);
                    }
                }
            }
            front = next;
            level++;
        }
        return rank;
    }

    /**
     * Crowding distance of each of {@code members} (indices into {@code points}, one front), in the order given:
     * per objective, the extremes get infinity and every other point the gap between its neighbours, normalised
     * by that objective's range; the sum over objectives. Larger = lonelier = preferred.
     */
    public static double[] crowding(double[][] points, int[] members) {
        int n = members.length;
        double[] distance = new double[n];
        if (n == 0) {
            return distance;
        }
        int objectives = points[members[0]].length;
        for (int m = 0; m < objectives; m++) {
            int objective = m;
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, Comparator.comparingDouble((Integer i) -> points[members[i]][objective])
                    .thenComparingInt(i -> i));
            double min = points[members[order[0]]][m];
            double max = points[members[order[n - 1]]][m];
            distance[order[0]] = Double.POSITIVE_INFINITY;
            distance[order[n - 1]] = Double.POSITIVE_INFINITY;
            if (max > min) {
                for (int i = 1; i < n - 1; i++) {
                    distance[order[i]] += (points[members[order[i + 1]]][m] - points[members[order[i - 1]]][m])
                            / (max - min);
                }
            }
        }
        return distance;
    }

    /**
     * NSGA-II's survivor choice: the indices of {@code count} points, whole fronts first, the last front cut by
     * decreasing crowding distance (ties to the lower index).
     */
    public static List<Integer> select(double[][] points, int count) {
        int[] rank = ranks(points);
        List<Integer> chosen = new ArrayList<>();
        for (int level = 0; chosen.size() < count; level++) {
            int l = level;
            int[] front = java.util.stream.IntStream.range(0, points.length).filter(i -> rank[i] == l).toArray();
            if (front.length == 0) {
                break;
            }
            if (chosen.size() + front.length <= count) {
                for (int i : front) {
                    chosen.add(i);
                }
            } else {
                double[] crowd = crowding(points, front);
                Integer[] order = new Integer[front.length];
                for (int i = 0; i < front.length; i++) {
                    order[i] = i;
                }
                Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -crowd[i]).thenComparingInt(i -> front[i]));
                for (int i = 0; chosen.size() < count; i++) {
                    chosen.add(front[order[i]]);
                }
            }
        }
        return chosen;
    }
}
