package io.evoprune.search;

import io.evoprune.evaluation.Candidate;
import io.evoprune.evaluation.EvaluationResult;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reports every failed or diverged evaluation, and stops the search when more than a set share of a
 * generation's new evaluations (of at least {@value #MIN_JUDGED}) fail: a few bad candidates are part of a search,
 * a generation that mostly fails means something is wrong (bad settings, sick executors) and going on would burn
 * the cluster for nothing.
 * The failing generation is not checkpointed, so a resumed run evaluates it again.
 */
public final class FailureBudget implements BatchEvaluator {
    /**
     * The least number of evaluations a share is taken of: late in a converged search a generation may bring one
     * or two new masks, and one of them diverging says nothing about the cluster or the settings.
     */
    static final int MIN_JUDGED = 4;
    private final BatchEvaluator inner;
    private final double maxFailedFraction;
    private final String key;
    private final Consumer<String> log;
    private final int minJudged;

    /**
     * {@code key} names the setting of {@code maxFailedFraction} in messages; a population smaller than
     * {@value #MIN_JUDGED} is judged on all its members.
     */
    public FailureBudget(BatchEvaluator inner, double maxFailedFraction, String key, Consumer<String> log,
                         int population) {
        this.inner = inner;
        this.minJudged = Math.min(MIN_JUDGED, population);
        this.maxFailedFraction = maxFailedFraction;
        this.key = key;
        this.log = log;
    }

    @Override
    public List<EvaluationResult> evaluate(int generation, List<Candidate> candidates) {
        List<EvaluationResult> results = inner.evaluate(generation, candidates);
        List<EvaluationResult> failed = results.stream().filter(EvaluationResult::failed).toList();
        for (EvaluationResult r : failed) {
            log.accept("generation " + generation + ": candidate " + r.index() + " " + candidates.get(r.index()).mask()
                    + " gets the worst fitness: " + r.failure());
        }
        if (failed.size() > maxFailedFraction * Math.max(results.size(), minJudged)) {
            throw new TooManyFailuresException("Generation " + generation + ": " + failed.size() + " of " + results.size()
                    + " evaluations failed or diverged, more than " + key + " = " + maxFailedFraction + " allows"
                    + (results.size() < minJudged ? " (of at least " + minJudged + ")" : "") + "; first: "
                    + failed.get(0).failure() + ". If such candidates are expected, a resume may raise it: --set "
                    + key + "=...");
        }
        return results;
    }

    @Override
    public void cacheHits(int generation, int hits) {
        inner.cacheHits(generation, hits);
    }

    @Override
    public long settingsDigest() {
        return inner.settingsDigest();
    }

    /** Too large a share of one generation failed. */
    public static final class TooManyFailuresException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooManyFailuresException(String message) {
            super(message);
        }
    }
}
