package io.evoprune.search;

import io.jenetics.BitGene;
import io.jenetics.Chromosome;
import io.jenetics.Genotype;
import io.jenetics.Mutator;
import io.jenetics.MutatorResult;
import io.jenetics.util.ISeq;
import java.util.random.RandomGenerator;

/**
 * Classic bit-flip mutation: every bit flips independently with probability p. Jenetics' plain Mutator draws a
 * new random bit (a flip only half the time) and first picks chromosomes with probability p, which would make
 * the per-bit rate p squared on our one-chromosome genome.
 */
public final class BitFlipMutator<C extends Comparable<? super C>> extends Mutator<BitGene, C> {

    public BitFlipMutator(double probability) {
        super(probability);
    }

    @Override
    protected MutatorResult<Genotype<BitGene>> mutate(Genotype<BitGene> genotype, double p, RandomGenerator random) {
        ISeq<MutatorResult<Chromosome<BitGene>>> results = genotype.stream()
                .map(chromosome -> mutate(chromosome, p, random))
                .collect(ISeq.toISeq());
        int mutations = results.stream().mapToInt(MutatorResult::mutations).sum();
        return new MutatorResult<>(Genotype.of(results.map(MutatorResult::result)), mutations);
    }

    @Override
    protected BitGene mutate(BitGene gene, RandomGenerator random) {
        return BitGene.of(!gene.bit());
    }
}
