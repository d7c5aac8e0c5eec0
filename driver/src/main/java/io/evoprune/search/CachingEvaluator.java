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
    private final int elitism;
    /** Read once: the settings a run evaluates under do not change during it. */
    private final long settings;
    private final Map<EvaluationKey, EvaluationResult> results = new LinkedHashMap<>();
    private int generation;
    private int evaluations;
    private int reused;
    private int failed;

    /**
     * @param elitism survivors Jenetics places first in every bred generation: carried over, not bred, so neither
     *                evaluations nor cache hits
     * @param known   results of an earlier session of this run (a resumed run's cache); keyed under the current
     *                settings digest, since a resumed run must keep its evaluation settings (see ResumeSettings)
     */
    CachingEvaluator(BatchEvaluator batch, long runSeed, int elitism, Map<MaskDigest, EvaluationResult> known) {
        this.batch = batch;
        this.runSeed = runSeed;
        this.elitism = elitism;
        this.settings = batch.settingsDigest();
        known.forEach((mask, result) -> results.put(new EvaluationKey(mask, settings), result));
    }

    /** The digest of the settings this run's results are scored under. */
    long settingsDigest() {
        return settings;
    }

    /** Starts counting a new generation. */
    void beginGeneration(int generation) {
        this.generation = generation;
        evaluations = 0;
        reused = 0;
        failed = 0;
    }

    long seedFor(Mask mask) {
        return FineTuneSeed.of(runSeed, mask);
    }

    @Override
    public ISeq<Phenotype<BitGene, Double>> eval(Seq<Phenotype<BitGene, Double>> population) {
        // Jenetics passes each step's start population (all scored) before the new one: the last call counts.
        reused = 0;
        Map<Mask, Integer> pending = new LinkedHashMap<>();
        List<Candidate> candidates = new ArrayList<>();
        for (Phenotype<BitGene, Double> p : population) {
            if (p.isEvaluated()) {
                reused++; // elites, and offspring that came through crossover and mutation unchanged
                continue;
            }
            Mask mask = Genomes.toMask(p.genotype());
            if (results.containsKey(key(mask)) || pending.containsKey(mask)) {
                reused++;
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

    /** Every result so far under this run's settings, in the order the masks were first evaluated. */
    Map<MaskDigest, EvaluationResult> results() {
        Map<MaskDigest, EvaluationResult> byMask = new LinkedHashMap<>();
        results.forEach((key, result) -> {
            if (key.settings() == settings) {
                byMask.put(key.mask(), result);
            }
        });
        return byMask;
    }

    private EvaluationKey key(Mask mask) {
        return new EvaluationKey(MaskDigest.of(mask), settings);
    }

    int evaluations() {
        return evaluations;
    }

    /**
     * Offspring since {@link #beginGeneration} whose fitness was already known: unchanged copies of a parent,
     * duplicates, and masks scored in an earlier generation (or an earlier session of a resumed run).
     */
    int cacheHits() {
        return reused - (generation > 0 ? elitism : 0);
    }

    int failed() {
        return failed;
    }
}
