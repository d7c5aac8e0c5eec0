package io.evoprune.evaluation;

import java.io.Serializable;

/**
 * Penalised fitness: {@code score - penalty * max(0, kept fraction - target)}, where score is the chosen validation
 * metric signed so that higher is better (accuracy as is; loss, MSE and MAE negated). Keeping fewer units than the
 * target costs nothing, so the search trades quality against size only above the target.
 */
public record Fitness(Metric metric, double targetKeptFraction, double penalty) implements Serializable {
    public Fitness {
        Checks.openClosed("fitness.target-kept-fraction", targetKeptFraction, 0, 1);
        Checks.inRange("fitness.penalty", penalty, 0, 1000);
    }

    /** Accuracy-based fitness (the first version's). */
    public Fitness(double targetKeptFraction, double penalty) {
        this(Metric.ACCURACY, targetKeptFraction, penalty);
    }

    /** Fitness from an already signed score (higher is better). */
    public double of(double score, double keptFraction) {
        return score - penalty * Math.max(0, keptFraction - targetKeptFraction);
    }

    public double of(Scores scores, double keptFraction) {
        return of(metric.score(scores), keptFraction);
    }

    /** The fitness given to a candidate whose evaluation failed or diverged: below any real score. */
    public static final double WORST = -1e9;
}
