package io.evoprune.evaluation;

import java.io.Serializable;

/**
 * Penalised fitness: {@code validation accuracy - penalty * max(0, kept fraction - target)}. Keeping fewer
 * units than the target costs nothing, so the search trades accuracy against size only above the target.
 */
public record Fitness(double targetKeptFraction, double penalty) implements Serializable {
    public Fitness {
        Checks.openClosed("fitness.target-kept-fraction", targetKeptFraction, 0, 1);
        Checks.inRange("fitness.penalty", penalty, 0, 1000);
    }

    public double of(double accuracy, double keptFraction) {
        return accuracy - penalty * Math.max(0, keptFraction - targetKeptFraction);
    }

    /** The fitness given to a candidate whose evaluation failed or diverged: below any real score. */
    public static final double WORST = -1e9;
}
