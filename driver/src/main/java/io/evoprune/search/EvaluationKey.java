package io.evoprune.search;

import io.evoprune.mask.Mask;

/**
 * What the fitness cache keys a result by: the mask and the digest of the evaluation settings it was scored
 * under ({@link BatchEvaluator#settingsDigest()}). Two plain values, so a checkpoint can persist the cache as is.
 */
public record EvaluationKey(Mask mask, long settings) {
}
