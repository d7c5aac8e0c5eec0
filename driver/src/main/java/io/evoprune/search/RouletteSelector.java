package io.evoprune.search;

import io.evoprune.evaluation.Fitness;
import io.jenetics.BitGene;
import io.jenetics.Phenotype;
import io.jenetics.RouletteWheelSelector;
import io.jenetics.util.Seq;

/**
 * Fitness-proportional selection that gives a failed evaluation ({@link Fitness#WORST}) no share of the wheel
 * and measures everyone else as Jenetics does: raw fitness, shifted by the lowest when that is negative. Jenetics'
 * own wheel shifts by the lowest of all, and one failure at -1e9 then makes every other weight about 1e9, which is
 * uniform selection.
 */
final class RouletteSelector extends RouletteWheelSelector<BitGene, Double> {

    @Override
    protected double[] probabilities(Seq<Phenotype<BitGene, Double>> population, int count) {
        int n = population.size();
        double lowest = 0;
        for (Phenotype<BitGene, Double> p : population) {
            if (!failed(p)) {
                lowest = Math.min(lowest, p.fitness());
            }
        }
        double[] weights = new double[n];
        double sum = 0;
        int evaluated = 0;
        for (int i = 0; i < n; i++) {
            Phenotype<BitGene, Double> p = population.get(i);
            weights[i] = failed(p) ? 0 : p.fitness() - lowest;
            sum += weights[i];
            evaluated += failed(p) ? 0 : 1;
        }
        for (int i = 0; i < n; i++) {
            // Nothing to tell apart (all at the lowest): every evaluated member alike; all failed: everyone alike.
            Phenotype<BitGene, Double> p = population.get(i);
            weights[i] = sum > 0 ? weights[i] / sum
                    : evaluated == 0 ? 1.0 / n : failed(p) ? 0 : 1.0 / evaluated;
        }
        return weights;
    }

    private static boolean failed(Phenotype<BitGene, Double> p) {
        return !(p.fitness() > Fitness.WORST) || !Double.isFinite(p.fitness());
    }

    @Override
    public String toString() {
        return "RouletteSelector";
    }
}
