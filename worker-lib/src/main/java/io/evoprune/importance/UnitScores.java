package io.evoprune.importance;

import java.io.Serializable;

/**
 * One importance score per prunable unit, in genome order (bit i of a mask is unit i here).
 *
 * @param criterion what the scores measure
 */
public record UnitScores(Criterion criterion, double[] scores) implements Serializable {
    public UnitScores {
        scores = scores.clone();
        for (int i = 0; i < scores.length; i++) {
            if (!Double.isFinite(scores[i])) {
                throw new IllegalArgumentException("Importance " + criterion.configName() + " of unit " + i
                        + " is " + scores[i]);
            }
        }
    }

    public double get(int unit) {
        return scores[unit];
    }

    public int units() {
        return scores.length;
    }

    @Override
    public double[] scores() {
        return scores.clone();
    }
}
