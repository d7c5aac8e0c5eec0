package io.evoprune.evaluation;

import java.io.Serializable;

/**
 * What one evaluation reports back to the driver: small, so a generation's results are a few KB on the wire.
 *
 * @param failure null when the evaluation succeeded, else why it got {@link Fitness#WORST}
 */
public record EvaluationResult(int index, double fitness, double accuracy, double loss, double keptFraction,
                               long parametersKept, double seconds, String failure) implements Serializable {

    /** The result of an evaluation that threw: worst fitness, no scores, and why. */
    public static EvaluationResult failure(int index, double keptFraction, double seconds, String failure) {
        return new EvaluationResult(index, Fitness.WORST, 0, Double.NaN, keptFraction, 0, seconds, failure);
    }

    public boolean failed() {
        return failure != null;
    }
}
