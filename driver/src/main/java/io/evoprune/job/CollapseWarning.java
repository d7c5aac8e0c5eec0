package io.evoprune.job;

import io.evoprune.evaluation.FineTuneSettings;
import io.evoprune.search.GenerationStats;
import java.util.Locale;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Says once, while the search runs, that fine-tuning destroys what the base learnt: a generation's best candidate
 * classifies the validation set no better than always answering its most frequent class, though the base does far
 * better. A learning rate much too high does this, or data sorted by class; the run goes on (its results are right,
 * only useless).
 */
final class CollapseWarning {
    /** Within this of the majority class's share, a classifier has learnt nothing. */
    static final double CHANCE_MARGIN = 0.01;
    /** ...and a base this far above it had learnt something to lose. */
    static final double BASE_MARGIN = 0.05;

    private final double majority;
    private final double baseAccuracy;
    private final double learningRate;
    /** The splits already warned that the data looks sorted by class (DataSplits.validationCoverage). */
    private final boolean sorted;
    private boolean warned;

    CollapseWarning(double majority, double baseAccuracy, double learningRate, boolean sorted) {
        this.majority = majority;
        this.baseAccuracy = baseAccuracy;
        this.learningRate = learningRate;
        this.sorted = sorted;
    }

    /**
     * For a search whose fitness metric is accuracy on {@code validation}'s one-hot labels; {@code sorted}: the
     * splits look cut from data sorted by class.
     */
    static CollapseWarning of(DataSet validation, double baseAccuracy, FineTuneSettings fineTune, boolean sorted) {
        double largest = validation.getLabels().sum(0).maxNumber().doubleValue();
        return new CollapseWarning(largest / validation.numExamples(), baseAccuracy, fineTune.learningRate(), sorted);
    }

    /** The warning for {@code stats}, or null; at most one per search. */
    String check(GenerationStats stats) {
        if (warned || stats.bestAccuracy() > majority + CHANCE_MARGIN || baseAccuracy < majority + BASE_MARGIN) {
            return null;
        }
        warned = true;
        String rate = learningRate > 0 ? Double.toString(learningRate) : "0: the model's own updater's";
        // Fine-tuning on the first classes of sorted data unlearns the others, which validation then holds.
        String cause = sorted ? "The splits look cut from data sorted by class (the warning on the validation split"
                + " above), so fine-tuning teaches some classes and unlearns the rest: set data.shuffle=true"
                : "finetune.learning-rate (" + rate + ") is probably too high for this model";
        return String.format(Locale.ROOT, "warning: the best candidate of generation %d has validation accuracy %.4f,"
                        + " no better than always answering the most frequent class (%.4f of the validation set),"
                        + " where the base has %.4f: fine-tuning destroys what the base learnt. %s", stats.generation(),
                stats.bestAccuracy(), majority, baseAccuracy, cause);
    }
}
