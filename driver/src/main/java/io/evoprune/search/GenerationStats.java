package io.evoprune.search;

/**
 * One generation's summary; written as a JSON line per generation.
 *
 * @param evaluations masks evaluated in this generation (cache hits not counted)
 * @param cacheHits   offspring whose fitness was already known: unchanged copies of a parent, duplicates, masks
 *                    scored in an earlier generation; with {@code evaluations} they add up to the offspring count
 * @param failed      evaluations that failed or diverged and got the worst fitness
 * @param bestSizeFraction the best's kept fraction by fitness.size (its kept fraction of units when that is units)
 */
public record GenerationStats(int generation, double bestFitness, double meanFitness, double worstFitness,
                              double bestAccuracy, double bestKeptFraction, double bestSizeFraction, int evaluations,
                              int cacheHits, int failed, double seconds) {

    /** Stats of a search whose fitness measures the kept fraction of units. */
    public GenerationStats(int generation, double bestFitness, double meanFitness, double worstFitness,
                           double bestAccuracy, double bestKeptFraction, int evaluations, int cacheHits, int failed,
                           double seconds) {
        this(generation, bestFitness, meanFitness, worstFitness, bestAccuracy, bestKeptFraction, bestKeptFraction,
                evaluations, cacheHits, failed, seconds);
    }

    public double evaluationsPerSecond() {
        return seconds > 0 ? evaluations / seconds : 0;
    }
}
