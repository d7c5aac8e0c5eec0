package io.evoprune.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.evoprune.evaluation.Candidate;
import io.evoprune.evaluation.EvaluationResult;
import io.evoprune.mask.Mask;
import io.jenetics.BitGene;
import io.jenetics.Phenotype;
import io.jenetics.util.ISeq;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fitness cache is keyed by mask and settings digest, and a resumed run's results come back under it. */
class CachingEvaluatorTest {
    private static final Mask A = Mask.parse("1100");
    private static final Mask B = Mask.parse("0110");

    /** Scores every mask 0.5 and records what it evaluated, under a fixed settings digest. */
    private static final class Counting implements BatchEvaluator {
        final long digest;
        final List<Mask> seen = new ArrayList<>();

        Counting(long digest) {
            this.digest = digest;
        }

        @Override
        public List<EvaluationResult> evaluate(int generation, List<Candidate> candidates) {
            return candidates.stream().map(c -> {
                seen.add(c.mask());
                return new EvaluationResult(c.index(), 0.5, 0.5, 0.1, c.mask().keptFraction(), 1, 0, null);
            }).toList();
        }

        @Override
        public long settingsDigest() {
            return digest;
        }
    }

    private static ISeq<Phenotype<BitGene, Double>> population(Mask... masks) {
        return ISeq.of(masks).map(m -> Phenotype.<BitGene, Double>of(Genomes.toGenotype(m), 0));
    }

    @Test
    void knownResultsAreReusedAndReturnedKeyedByMaskDigest() {
        EvaluationResult known = new EvaluationResult(0, 0.9, 0.9, 0.1, 0.5, 1, 0, null);
        Counting batch = new Counting(42);
        CachingEvaluator cache = new CachingEvaluator(batch, 7, 0, Map.of(MaskDigest.of(A), known));
        cache.beginGeneration(0);
        var scored = cache.eval(population(A, B, B));
        assertEquals(List.of(B), batch.seen, "A came from the resumed cache, B once for both copies");
        assertEquals(0.9, scored.get(0).fitness());
        assertEquals(2, cache.cacheHits());
        assertEquals(List.of(MaskDigest.of(A), MaskDigest.of(B)), List.copyOf(cache.results().keySet()),
                "the checkpoint's map, by mask digest");
        assertEquals(known, cache.results().get(MaskDigest.of(A)));
    }
}
