package io.evoprune.evaluation;

import java.io.Serializable;

/**
 * Penalised fitness: {@code score - penalty * max(0, kept fraction - target)}, where score is the chosen validation
 * metric signed so that higher is better (accuracy as is; loss, MSE and MAE negated) and the kept fraction is
 * measured by {@link #size()}. Keeping less than the target costs nothing, so the search trades quality against
 * size only above the target.
 */
public record Fitness(Metric metric, Size size, double targetKeptFraction, double penalty) implements Serializable {
    /** What the kept fraction measures, against the dense base. */
    public enum Size {
        /** Kept prunable units (neurons, filters or weights) over all of them. */
        UNITS,
        /** Kept parameters of the whole network over the base's. */
        PARAMETERS,
        /** Multiply-adds of inference per example over the base's ({@link io.evoprune.model.Flops}). */
        FLOPS;

        public static Size parse(String key, String value) {
            return Checks.choice(Size.class, key, value);
        }

        public String configName() {
            return Checks.configName(this);
        }
    }

    public Fitness {
        if (metric == null || size == null) {
            throw new IllegalArgumentException("fitness.metric and fitness.size must be set");
        }
        Checks.openClosed("fitness.target-kept-fraction", targetKeptFraction, 0, 1);
        Checks.inRange("fitness.penalty", penalty, 0, 1000);
    }

    /** Fitness on {@code metric} with the kept fraction of units. */
    public Fitness(Metric metric, double targetKeptFraction, double penalty) {
        this(metric, Size.UNITS, targetKeptFraction, penalty);
    }

    /** Accuracy-based fitness on the kept fraction of units (the first version's). */
    public Fitness(double targetKeptFraction, double penalty) {
        this(Metric.ACCURACY, targetKeptFraction, penalty);
    }

    /** Fitness from an already signed score (higher is better) and the kept fraction by {@link #size()}. */
    public double of(double score, double keptFraction) {
        return score - penalty * Math.max(0, keptFraction - targetKeptFraction);
    }

    /** The signed score {@link #of(double, double)} was given, read back from the fitness it made. */
    public double score(double fitness, double keptFraction) {
        return fitness + penalty * Math.max(0, keptFraction - targetKeptFraction);
    }

    public double of(Scores scores, double keptFraction) {
        return of(metric.score(scores), keptFraction);
    }

    /** The fitness given to a candidate whose evaluation failed or diverged: below any real score. */
    public static final double WORST = -1e9;
}
