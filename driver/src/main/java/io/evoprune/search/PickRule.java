package io.evoprune.search;

import java.util.List;
import java.util.Locale;

/**
 * Which point of a Pareto front a run fine-tunes and exports.
 *
 * @param smallestWithin true: the smallest point whose validation accuracy is at most {@code tolerance} below
 *                       the base's (the most accurate point when none is); false: the most accurate point
 */
public record PickRule(boolean smallestWithin, double tolerance) {

    public ParetoPoint choose(List<ParetoPoint> front, double baseAccuracy) {
        if (front.isEmpty()) {
            throw new IllegalArgumentException("An empty Pareto front has no point to pick");
        }
        ParetoPoint mostAccurate = front.get(0);
        for (ParetoPoint p : front) {
            if (accuracy(p) > accuracy(mostAccurate)
                    || accuracy(p) == accuracy(mostAccurate) && p.size() < mostAccurate.size()) {
                mostAccurate = p;
            }
        }
        if (!smallestWithin) {
            return mostAccurate;
        }
        ParetoPoint smallest = null;
        for (ParetoPoint p : front) {
            if (accuracy(p) >= baseAccuracy - tolerance - 1e-12
                    && (smallest == null || p.size() < smallest.size()
                    || p.size() == smallest.size() && accuracy(p) > accuracy(smallest))) {
                smallest = p;
            }
        }
        return smallest != null ? smallest : mostAccurate;
    }

    /** Which rule picked {@code chosen} (from {@link #choose}), for the console: the fallback is said as such. */
    public String explain(ParetoPoint chosen, double baseAccuracy) {
        if (!smallestWithin) {
            return String.format(Locale.ROOT, "the most accurate point (validation accuracy %.4f)", accuracy(chosen));
        }
        if (accuracy(chosen) >= baseAccuracy - tolerance - 1e-12) {
            return String.format(Locale.ROOT, "the smallest point within %s of the base's validation accuracy %.4f"
                    + " (%.4f)", tolerance, baseAccuracy, accuracy(chosen));
        }
        return String.format(Locale.ROOT, "no point is within %s of the base's validation accuracy %.4f, so the most"
                + " accurate (%.4f); raise pareto.pick-tolerance, or search longer, for a smaller one", tolerance,
                baseAccuracy, accuracy(chosen));
    }

    private static double accuracy(ParetoPoint p) {
        return p.result().failed() ? Double.NEGATIVE_INFINITY : p.result().accuracy();
    }
}
