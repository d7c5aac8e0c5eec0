package io.evoprune.search;

import io.evoprune.mask.Mask;
import io.jenetics.BitChromosome;
import io.jenetics.BitGene;
import io.jenetics.Genotype;

/** Conversions between Jenetics genotypes (one bit chromosome) and evoprune masks. */
public final class Genomes {
    private Genomes() {
    }

    public static Mask toMask(Genotype<BitGene> genotype) {
        BitChromosome bits = genotype.chromosome().as(BitChromosome.class);
        return Mask.of(bits.toBitSet(), bits.length());
    }

    public static Genotype<BitGene> toGenotype(Mask mask) {
        return Genotype.of(BitChromosome.of(mask.toBitSet(), mask.length()));
    }
}
