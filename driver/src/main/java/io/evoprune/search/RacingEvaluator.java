package io.evoprune.search;

import io.evoprune.evaluation.Candidate;
import io.evoprune.evaluation.EvaluationResult;
import io.evoprune.mask.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Racing (one round of successive halving): every candidate is first scored after a short fine-tune; only
 * the best share by that score gets the full fine-tune, whose result replaces the short one. The others keep
 * their short-run score, which is lower than a full fine-tune would give them: they lose selection as they
 * would have anyway, for a fraction of the cost. The ledger counts the evaluation-seconds spent against an
 * estimate of fully evaluating every candidate (the mean full evaluation time times the candidates).
 */
public final class RacingEvaluator implements BatchEvaluator {
    private final BatchEvaluator shortRun;
    private final BatchEvaluator fullRun;
    private final double promote;
    private final Ledger ledger = new Ledger();
    private final java.util.Set<io.evoprune.mask.Mask> promotedMasks = new java.util.HashSet<>();

    public RacingEvaluator(BatchEvaluator shortRun, BatchEvaluator fullRun, double promote) {
        if (!(promote > 0 && promote <= 1)) {
            throw new IllegalArgumentException("racing.promote-fraction must be in (0, 1], but was " + promote);
        }
        this.shortRun = shortRun;
        this.fullRun = fullRun;
        this.promote = promote;
    }

    /** How many of {@code candidates} go on to the full fine-tune: at least one. */
    static int promoted(int candidates, double promote) {
        return Math.max(1, (int) Math.ceil(candidates * promote - 1e-9));
    }

    @Override
    public List<EvaluationResult> evaluate(int generation, List<Candidate> candidates) {
        List<EvaluationResult> first = shortRun.evaluate(generation, candidates);
        // Best short-run fitness first; ties to the earlier candidate, so the race is deterministic.
        Integer[] order = new Integer[candidates.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -first.get(i).fitness()).thenComparingInt(i -> i));
        int k = promoted(candidates.size(), promote);
        List<Candidate> finalists = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            Candidate c = candidates.get(order[i]);
            finalists.add(new Candidate(i, c.mask(), c.seed()));
        }
        List<EvaluationResult> second = fullRun.evaluate(generation, finalists);
        List<EvaluationResult> results = new ArrayList<>(first);
        double fullSeconds = 0;
        for (int i = 0; i < k; i++) {
            EvaluationResult r = second.get(i);
            int index = order[i];
            results.set(index, new EvaluationResult(index, r.fitness(), r.accuracy(), r.loss(), r.keptFraction(),
                    r.sizeFraction(), r.parametersKept(), r.seconds(), r.failure()));
            fullSeconds += r.seconds();
            promotedMasks.add(candidates.get(index).mask());
        }
        double shortSeconds = first.stream().mapToDouble(EvaluationResult::seconds).sum();
        ledger.add(candidates.size(), k, shortSeconds, fullSeconds);
        return results;
    }

    @Override
    public void cacheHits(int generation, int hits) {
        fullRun.cacheHits(generation, hits);
    }

    @Override
    public long settingsDigest() {
        return Seeds.derive(shortRun.settingsDigest(), fullRun.settingsDigest(), Double.doubleToLongBits(promote));
    }

    /** Whether {@code mask} got the full fine-tune (its score is comparable with unraced evaluations). */
    public boolean promoted(io.evoprune.mask.Mask mask) {
        return promotedMasks.contains(mask);
    }

    public RacingStats stats() {
        return ledger.stats();
    }

    /** The racing totals of a run, written to racing.json. */
    public record RacingStats(int candidates, int promoted, double shortSeconds, double fullSeconds,
                              double estimatedAllFullSeconds, double saving) {
    }

    private static final class Ledger {
        private int candidates;
        private int promoted;
        private double shortSeconds;
        private double fullSeconds;

        void add(int candidates, int promoted, double shortSeconds, double fullSeconds) {
            this.candidates += candidates;
            this.promoted += promoted;
            this.shortSeconds += shortSeconds;
            this.fullSeconds += fullSeconds;
        }

        RacingStats stats() {
            double estimate = promoted > 0 ? fullSeconds / promoted * candidates : 0;
            double spent = shortSeconds + fullSeconds;
            return new RacingStats(candidates, promoted, shortSeconds, fullSeconds, estimate,
                    estimate > 0 ? 1 - spent / estimate : 0);
        }
    }
}
