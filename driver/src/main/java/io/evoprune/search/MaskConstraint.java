package io.evoprune.search;

import io.evoprune.mask.Mask;
import io.evoprune.mask.MaskRepair;
import io.jenetics.BitGene;
import io.jenetics.Phenotype;
import io.jenetics.engine.Constraint;

/**
 * Jenetics' constraint hook for {@link MaskRepair}: the engine tests every new individual (the initial
 * population, through {@link Constraint#constrain}, and each generation's offspring after crossover and mutation)
 * and repairs those that would empty a layer. The repair is deterministic, so it consumes no randomness and a
 * run stays reproducible from its seed.
 */
final class MaskConstraint implements Constraint<BitGene, Double> {
    private final MaskRepair repair;

    MaskConstraint(MaskRepair repair) {
        this.repair = repair;
    }

    @Override
    public boolean test(Phenotype<BitGene, Double> individual) {
        return repair.satisfied(Genomes.toMask(individual.genotype()));
    }

    @Override
    public Phenotype<BitGene, Double> repair(Phenotype<BitGene, Double> individual, long generation) {
        Mask mask = Genomes.toMask(individual.genotype());
        return Phenotype.of(Genomes.toGenotype(repair.repair(mask)), generation);
    }
}
