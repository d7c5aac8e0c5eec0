package io.evoprune.evaluation;


/** A score a fitness can be built on. Loss-like metrics are negated, so fitness is always maximised. */
public enum Metric {
    ACCURACY(true, true),
    PRECISION(true, true),
    RECALL(true, true),
    F1(true, true),
    LOSS(false, false),
    MSE(false, false),
    MAE(false, false),
    R2(false, true);

    private final boolean classificationOnly;
    private final boolean higherIsBetter;

    Metric(boolean classificationOnly, boolean higherIsBetter) {
        this.classificationOnly = classificationOnly;
        this.higherIsBetter = higherIsBetter;
    }

    public static Metric parse(String key, String value) {
        return Checks.choice(Metric.class, key, value);
    }

    public String configName() {
        return Checks.configName(this);
    }

    /** Whether this metric exists for the task: class metrics need classes, MSE, MAE and R² need real targets. */
    public boolean appliesTo(boolean regression) {
        return regression ? !classificationOnly : this != MSE && this != MAE && this != R2;
    }

    public double value(Scores scores) {
        return switch (this) {
            case ACCURACY -> scores.accuracy();
            case PRECISION -> scores.precision();
            case RECALL -> scores.recall();
            case F1 -> scores.f1();
            case LOSS -> scores.loss();
            case MSE -> scores.mse();
            case MAE -> scores.mae();
            case R2 -> scores.r2();
        };
    }

    /** The value, signed so that higher is better. */
    public double score(Scores scores) {
        return signed(value(scores));
    }

    /** A value of this metric signed so that higher is better, or a signed score back to the value: both negate. */
    public double signed(double value) {
        return higherIsBetter ? value : -value;
    }
}
