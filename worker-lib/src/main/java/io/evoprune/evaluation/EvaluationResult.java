package io.evoprune.evaluation;

import java.io.Serializable;

/**
 * What one evaluation reports back to the driver: small, so a generation's results are a few KB on the wire.
 *
 * @param failure null when the evaluation succeeded, else why it got {@link Fitness#WORST}
 */
public record EvaluationResult(int index, double fitness, double accuracy, double loss, double keptFraction,
                               long parametersKept, double seconds, String failure) implements Serializable {

    public boolean failed() {
        return failure != null;
    }
}
