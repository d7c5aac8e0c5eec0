package io.evoprune.baseline;

/**
 * One line of the baseline table: a pruning method's mask after the common fine-tune budget.
 *
 * @param method             the classic pruner's name, or the search strategy for the search's own mask
 * @param validationAccuracy accuracy on the validation split (the one the search selects on)
 * @param testAccuracy       accuracy on the test split (never used for any choice)
 * @param seconds            wall time of the method: choosing the mask plus its training
 */
public record BaselineRow(String method, double keptFraction, int keptUnits, long parametersKept, long flops,
                          double validationAccuracy, double testAccuracy, double seconds) {
}
