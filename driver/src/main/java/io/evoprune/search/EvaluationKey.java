package io.evoprune.search;

/**
 * What the fitness cache keys a result by: the mask's digest and the digest of the evaluation settings it was
 * scored under ({@link BatchEvaluator#settingsDigest()}).
 */
public record EvaluationKey(MaskDigest mask, long settings) {
}
