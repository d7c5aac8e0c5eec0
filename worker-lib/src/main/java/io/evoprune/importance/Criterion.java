package io.evoprune.importance;

import io.evoprune.evaluation.Checks;

/**
 * How important a prunable unit is; every criterion scores higher = more worth keeping. Append new ones: seeds
 * are derived from the ordinals (the driver's SeedOrderTest).
 */
public enum Criterion {
    /**
     * Mean |w| over every trained parameter the unit's removal zeroes: incoming weights, bias, batch-norm scale and
     * shift, outgoing weights.
     */
    MAGNITUDE(true),
    /** L1 norm of the unit's incoming weights (Li et al. 2017's filter norm, for dense units). */
    L1(false),
    /**
     * First-order Taylor estimate of the loss change on removing the unit (Molchanov et al. 2019): per batch,
     * (sum of g * w over the consumers' weights that read it)^2, averaged over batches; (g * w)^2 for one weight.
     */
    TAYLOR(true),
    /** Mean activation of the unit over sample examples. */
    ACTIVATION(false),
    /** 1 - APoZ: the fraction of sample examples on which the unit's activation is non-zero (Hu et al. 2016). */
    APOZ(true),
    /** A seeded uniform random score: the control every criterion should beat. */
    RANDOM(true);

    private final boolean comparableAcrossLayers;

    Criterion(boolean comparableAcrossLayers) {
        this.comparableAcrossLayers = comparableAcrossLayers;
    }

    /**
     * Whether one layer's scores mean the same as another's, so that a global ranking compares units rather than
     * layer shapes: a mean per parameter, an estimate of the loss change, a fraction or a random draw are; an L1
     * norm grows with the layer's fan-in and a mean activation with its scale, so those rank within a layer only.
     */
    public boolean comparableAcrossLayers() {
        return comparableAcrossLayers;
    }

    public static Criterion parse(String key, String value) {
        return Checks.choice(Criterion.class, key, value);
    }

    public String configName() {
        return Checks.configName(this);
    }
}
