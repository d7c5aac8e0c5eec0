package io.evoprune.importance;

import io.evoprune.evaluation.Checks;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How important a prunable unit is; every criterion scores higher = more worth keeping. Append new ones: seeds
 * are derived from the ordinals (the driver's SeedOrderTest).
 */
public enum Criterion {
    /** Mean |w| over every parameter the unit's removal zeroes: incoming weights, bias, outgoing weights. */
    MAGNITUDE,
    /** L1 norm of the unit's incoming weights (Li et al. 2017's filter norm, for dense units). */
    L1,
    /** First-order Taylor sensitivity: sum of |g * w| over the unit's parameters, accumulated over batches. */
    TAYLOR,
    /** Mean activation of the unit over sample examples. */
    ACTIVATION,
    /** 1 - APoZ: the fraction of sample examples on which the unit's activation is non-zero (Hu et al. 2016). */
    APOZ,
    /** A seeded uniform random score: the control every criterion should beat. */
    RANDOM;

    public static Criterion parse(String key, String value) {
        return Checks.choice(Criterion.class, key, value);
    }

    public String configName() {
        return Checks.configName(this);
    }

    public static String names() {
        return Arrays.stream(values()).map(Criterion::configName).collect(Collectors.joining(", "));
    }
}
