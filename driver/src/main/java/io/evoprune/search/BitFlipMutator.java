package io.evoprune.search;

import io.jenetics.Alterer;
import io.jenetics.AltererResult;
import io.jenetics.BitChromosome;
import io.jenetics.BitGene;
import io.jenetics.Genotype;
import io.jenetics.Phenotype;
import io.jenetics.util.ISeq;
import io.jenetics.util.RandomRegistry;
import io.jenetics.util.Seq;
import java.util.BitSet;
import java.util.random.RandomGenerator;

/**
 * Classic bit-flip mutation: every bit of every offspring flips independently with probability p.
 *
 * <p>Jenetics' own {@code Mutator} is a different operator: it picks individuals, then chromosomes, then
 * genes, each with probability p^(1/3) (so mutations cluster in a few individuals), and "mutates" a bit by
 * drawing it anew (a flip only half the time). The gaps between flips are drawn from the geometric
 * distribution, so the cost is proportional to the number of flips, not to the mask length.
 */
public final class BitFlipMutator<C extends Comparable<? super C>> implements Alterer<BitGene, C> {
    private final double probability;

    public BitFlipMutator(double probability) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("Bit-flip probability must be in [0, 1], but was " + probability);
        }
        this.probability = probability;
    }

    @Override
    public AltererResult<BitGene, C> alter(Seq<Phenotype<BitGene, C>> population, long generation) {
        RandomGenerator random = RandomRegistry.random();
        int flips = 0;
        ISeq<Phenotype<BitGene, C>> result = ISeq.empty();
        for (Phenotype<BitGene, C> individual : population) {
            BitChromosome chromosome = individual.genotype().chromosome().as(BitChromosome.class);
            int length = chromosome.length();
            BitSet bits = chromosome.toBitSet();
            int flipped = 0;
            for (long i = nextGap(random); i < length; i += 1 + nextGap(random)) {
                bits.flip((int) i);
                flipped++;
            }
            flips += flipped;
            result = result.append(flipped == 0 ? individual
                    : Phenotype.of(Genotype.of(BitChromosome.of(bits, length)), generation));
        }
        return new AltererResult<>(result, flips);
    }

    /** Bits skipped before the next flip: Geometric(p) on {0, 1, ...}. */
    private long nextGap(RandomGenerator random) {
        if (probability >= 1) {
            return 0;
        }
        if (probability <= 0) {
            return Long.MAX_VALUE / 2;
        }
        double u = 1.0 - random.nextDouble(); // (0, 1]
        return (long) Math.floor(Math.log(u) / Math.log1p(-probability));
    }
}
