package io.evoprune.search;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.evoprune.evaluation.Candidate;
import io.evoprune.evaluation.EvaluationResult;
import io.evoprune.mask.Mask;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RacingEvaluatorTest {
    @Test
    void promotesTheBestShareAndKeepsTheLedger() {
        // Short run: accuracy = kept units / 10, fitness penalised above half kept (see Fakes); full run: +0.5, 4 s each.
        // Short fitness: 1000 -> 0.1, 1110 -> 0.175, 1100 -> 0.2, 1111 -> 0.15, 0000 -> 0.
        Fakes.Scorer shortRun = new Fakes.Scorer(m -> m.keptCount() / 10.0, 1);
        Fakes.Scorer fullRun = new Fakes.Scorer(m -> m.keptCount() / 10.0 + 0.5, 4);
        RacingEvaluator racing = new RacingEvaluator(shortRun, fullRun, 0.4);
        List<Candidate> candidates = new ArrayList<>();
        String[] masks = {"1000", "1110", "1100", "1111", "0000"};
        for (int i = 0; i < masks.length; i++) {
            candidates.add(new Candidate(i, Mask.parse(masks[i]), i));
        }
        List<EvaluationResult> results = racing.evaluate(3, candidates);

        // ceil(5 * 0.4) = 2 promoted, best short fitness first: "1100" (index 2), then "1110" (index 1).
        assertEquals(List.of(Mask.parse("1100"), Mask.parse("1110")), fullRun.seen);
        assertEquals(5, shortRun.seen.size());
        for (int i = 0; i < results.size(); i++) {
            assertEquals(i, results.get(i).index(), "results stay in candidate order");
        }
        assertEquals(0.7, results.get(2).accuracy(), 1e-12);
        assertEquals(0.8, results.get(1).accuracy(), 1e-12);
        assertEquals(0.4, results.get(3).accuracy(), 1e-12, "not promoted: keeps its short-run score");
        assertEquals(4, results.get(2).seconds());
        assertEquals(1, results.get(3).seconds());
        assertEquals(true, racing.promoted(Mask.parse("1100")));
        assertEquals(false, racing.promoted(Mask.parse("1111")));

        RacingEvaluator.RacingStats s = racing.stats();
        assertEquals(5, s.candidates());
        assertEquals(2, s.promoted());
        assertEquals(5.0, s.shortSeconds());
        assertEquals(8.0, s.fullSeconds());
        assertEquals(20.0, s.estimatedAllFullSeconds(), "mean full time 4 s x 5 candidates");
        assertEquals(1 - 13.0 / 20, s.saving(), 1e-12);

        racing.evaluate(4, candidates.subList(0, 1));
        assertEquals(6, racing.stats().candidates());
        assertEquals(3, racing.stats().promoted(), "at least one candidate is always promoted");
    }

    @Test
    void aTieOnTheShortRungPromotesTheEarlierCandidate() {
        // "1100" and "0011" score the same short-run fitness; half of two is one promoted: index 0, not 1.
        Fakes.Scorer shortRun = new Fakes.Scorer(m -> m.keptCount() / 10.0, 1);
        Fakes.Scorer fullRun = new Fakes.Scorer(m -> m.keptCount() / 10.0 + 0.5, 4);
        RacingEvaluator racing = new RacingEvaluator(shortRun, fullRun, 0.5);
        List<Candidate> tied = List.of(new Candidate(0, Mask.parse("1100"), 0), new Candidate(1, Mask.parse("0011"), 1));
        List<EvaluationResult> results = racing.evaluate(1, tied);
        assertEquals(List.of(Mask.parse("1100")), fullRun.seen);
        assertEquals(0.7, results.get(0).accuracy(), 1e-12, "the earlier candidate got the full fine-tune");
        assertEquals(0.2, results.get(1).accuracy(), 1e-12);
        assertEquals(true, racing.promoted(Mask.parse("1100")));
        assertEquals(false, racing.promoted(Mask.parse("0011")));
    }

    @Test
    void promotedCountRoundsUpAndNeverDropsToZero() {
        assertEquals(1, RacingEvaluator.promoted(1, 0.1));
        assertEquals(8, RacingEvaluator.promoted(16, 0.5));
        assertEquals(3, RacingEvaluator.promoted(10, 0.25));
        assertEquals(16, RacingEvaluator.promoted(16, 1));
    }

    @Test
    void thePromotedShareIsOpenAtZeroAndClosedAtOne() {
        BatchEvaluator any = (generation, candidates) -> List.of();
        var e = assertThrows(IllegalArgumentException.class, () -> new RacingEvaluator(any, any, 0));
        assertEquals("racing.promote-fraction must be in (0, 1], but was 0.0", e.getMessage());
        assertDoesNotThrow(() -> new RacingEvaluator(any, any, 1));
        assertThrows(IllegalArgumentException.class, () -> new RacingEvaluator(any, any, 1.01));
    }

    /** An evaluator that only reports {@code digest}: the racing digest must be built from its rungs' digests. */
    private static BatchEvaluator digest(long digest) {
        return new BatchEvaluator() {
            @Override
            public List<EvaluationResult> evaluate(int generation, List<Candidate> candidates) {
                throw new UnsupportedOperationException("only the digest is asked for");
            }

            @Override
            public long settingsDigest() {
                return digest;
            }
        };
    }

    @Test
    void settingsDigestDependsOnBothRungsAndTheShare() {
        long base = new RacingEvaluator(digest(11), digest(22), 0.5).settingsDigest();
        assertEquals(base, new RacingEvaluator(digest(11), digest(22), 0.5).settingsDigest(), "same settings, same digest");
        assertNotEquals(base, new RacingEvaluator(digest(12), digest(22), 0.5).settingsDigest(), "short rung");
        assertNotEquals(base, new RacingEvaluator(digest(11), digest(23), 0.5).settingsDigest(), "full rung");
        assertNotEquals(base, new RacingEvaluator(digest(22), digest(11), 0.5).settingsDigest(), "rungs swapped");
        assertNotEquals(base, new RacingEvaluator(digest(11), digest(22), 0.25).settingsDigest(), "promote share");
    }
}
