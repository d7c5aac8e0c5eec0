package io.evoprune.search;

import io.evoprune.evaluation.Candidate;
import io.evoprune.evaluation.EvaluationResult;
import io.evoprune.mask.Mask;
import io.jenetics.BitGene;
import io.jenetics.Phenotype;
import io.jenetics.engine.Evaluator;
import io.jenetics.util.ISeq;
import io.jenetics.util.Seq;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Jenetics' batch-evaluation seam: takes a population, evaluates only the masks this run has not scored yet
 * (elites and duplicates are free), in one batch, and attaches the fitness to every unevaluated member.
 *
 * <p>A mask's fine-tuning seed is derived from the run seed and the mask's bits, so a mask's fitness is a pure
 * function of (run seed, mask, settings): independent of partitions, executors, order, and of whether it came
 * from the cache.
 */
final class CachingEvaluator implements Evaluator<BitGene, Double> {
    private final BatchEvaluator batch;
    private final long runSeed;
    private final Map<EvaluationKey, EvaluationResult> results = new HashMap<>();
    private int generation;
    private int evaluations;
    private int cacheHits;
    private int failed;

    CachingEvaluator(BatchEvaluator batch, long runSeed) {
        this.batch = batch;
        this.runSeed = runSeed;
    }

    /** Starts counting a new generation. */
    void beginGeneration(int generation) {
        this.generation = generation;
        evaluations = 0;
        cacheHits = 0;
        failed = 0;
    }

    long seedFor(Mask mask) {
        return FineTuneSeed.of(runSeed, mask);
    }

    @Override
    public ISeq<Phenotype<BitGene, Double>> eval(Seq<Phenotype<BitGene, Double>> population) {
        Map<Mask, Integer> pending = new LinkedHashMap<>();
        List<Candidate> candidates = new ArrayList<>();
        for (Phenotype<BitGene, Double> p : population) {
            if (p.isEvaluated()) {
                continue;
            }
            Mask mask = Genomes.toMask(p.genotype());
            if (results.containsKey(key(mask)) || pending.containsKey(mask)) {
                cacheHits++;
            } else {
                pending.put(mask, candidates.size());
                candidates.add(new Candidate(candidates.size(), mask, seedFor(mask)));
            }
        }
        if (!candidates.isEmpty()) {
            List<EvaluationResult> scored = batch.evaluate(generation, candidates);
            if (scored.size() != candidates.size()) {
                throw new IllegalStateException("Evaluated " + scored.size() + " of " + candidates.size() + " masks");
            }
            for (Candidate c : candidates) {
                EvaluationResult r = scored.get(c.index());
                results.put(key(c.mask()), r);
                if (r.failed()) {
                    failed++;
                }
            }
            evaluations += candidates.size();
        }
        return population.map(p -> p.isEvaluated() ? p : p.withFitness(result(Genomes.toMask(p.genotype())).fitness()))
                .asISeq();
    }

    EvaluationResult result(Mask mask) {
        EvaluationResult r = results.get(key(mask));
        if (r == null) {
            throw new IllegalStateException("No evaluation for " + mask);
        }
        return r;
    }

    private EvaluationKey key(Mask mask) {
        return new EvaluationKey(mask, batch.settingsDigest());
    }

    int evaluations() {
        return evaluations;
    }

    int cacheHits() {
        return cacheHits;
    }

    int failed() {
        return failed;
    }
}
