package io.evoprune.search;

import io.evoprune.mask.Mask;
import io.evoprune.mask.Seeds;

/**
 * The fine-tuning seed of a mask: derived from the run seed and the mask's bits only, so the same mask is
 * fine-tuned identically by the search, the final export and the baselines.
 */
public final class FineTuneSeed {
    private static final long FINE_TUNE_STREAM = 1;

    private FineTuneSeed() {
    }

    public static long of(long runSeed, Mask mask) {
        return Seeds.derive(runSeed, FINE_TUNE_STREAM, mask.digest());
    }
}
