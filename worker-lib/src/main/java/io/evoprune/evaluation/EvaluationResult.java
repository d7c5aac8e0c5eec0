package io.evoprune.evaluation;

import java.io.Serializable;

/**
 * What one evaluation reports back to the driver: small, so a generation's results are a few KB on the wire.
 *
 * @param keptFraction kept prunable units over all of them
 * @param sizeFraction the kept fraction fitness penalised ({@link Fitness#size()}): the same as {@code keptFraction}
 *                     for units, else of the base's parameters or multiply-adds
 * @param failure      null when the evaluation succeeded, else why it got {@link Fitness#WORST}
 */
public record EvaluationResult(int index, double fitness, double accuracy, double loss, double keptFraction,
                               double sizeFraction, long parametersKept, double seconds, String failure)
        implements Serializable {

    /** A result whose fitness measured the kept fraction of units. */
    public EvaluationResult(int index, double fitness, double accuracy, double loss, double keptFraction,
                            long parametersKept, double seconds, String failure) {
        this(index, fitness, accuracy, loss, keptFraction, keptFraction, parametersKept, seconds, failure);
    }

    /** The result of an evaluation that threw: worst fitness, no scores, and why. */
    public static EvaluationResult failure(int index, double keptFraction, double seconds, String failure) {
        return new EvaluationResult(index, Fitness.WORST, 0, Double.NaN, keptFraction, 0, seconds, failure);
    }

    public boolean failed() {
        return failure != null;
    }
}
