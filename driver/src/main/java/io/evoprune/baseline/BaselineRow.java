package io.evoprune.baseline;

import io.evoprune.evaluation.PairedComparison;

/**
 * One line of the baseline table: a pruning method's mask after the common fine-tune budget.
 *
 * @param method             the classic pruner's name, or the search strategy for the search's own mask
 * @param validationAccuracy accuracy on the validation split (the one the search selects on)
 * @param testAccuracy       accuracy on the test split (never used for any choice)
 * @param seconds            wall time of the method: choosing the mask plus its training
 * @param testAgainstSearch  this row's network against the search's, example by example on the test split ("pruned"
 *                           is this row, "base" the search); null for the search's own row, or without one
 */
public record BaselineRow(String method, double keptFraction, int keptUnits, long parametersKept, long flops,
                          double validationAccuracy, double testAccuracy, double seconds,
                          PairedComparison testAgainstSearch) {
}
