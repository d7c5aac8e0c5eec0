package io.evoprune.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.evaluation.Fitness;
import io.evoprune.mask.Mask;
import io.jenetics.BitChromosome;
import io.jenetics.BitGene;
import io.jenetics.Genotype;
import io.jenetics.Phenotype;
import io.jenetics.Optimize;
import io.jenetics.util.ISeq;
import io.jenetics.util.RandomRegistry;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Properties of the variation and selection operators the search is configured with. */
class OperatorsTest {
    private static Phenotype<BitGene, Double> individual(Mask mask, double fitness) {
        return Phenotype.of(Genomes.toGenotype(mask), 1, fitness);
    }

    @Test
    void bitFlipFlipsEachBitWithTheGivenProbability() {
        int bits = 20_000;
        Mask zeros = Mask.of(bits, i -> false);
        ISeq<Phenotype<BitGene, Double>> pop = ISeq.of(individual(zeros, 0.0));
        var mutated = RandomRegistry.with(new SplittableRandom(1),
                r -> new BitFlipMutator<Double>(0.1).alter(pop, 2).population());
        int flipped = Genomes.toMask(mutated.get(0).genotype()).keptCount();
        assertEquals(2000, flipped, 5 * Math.sqrt(bits * 0.1 * 0.9)); // binomial, 5 sigma

        var all = RandomRegistry.with(new SplittableRandom(1),
                r -> new BitFlipMutator<Double>(1.0).alter(pop, 2).population());
        assertEquals(bits, Genomes.toMask(all.get(0).genotype()).keptCount(), "p=1 flips every bit");

        var none = RandomRegistry.with(new SplittableRandom(1), r -> new BitFlipMutator<Double>(0).alter(pop, 2));
        assertEquals(0, none.alterations(), "p=0 flips nothing");
        assertSame(pop.get(0), none.population().get(0), "and leaves the individual as it was, fitness included");
    }

    @Test
    void bitFlipFlipsTheFirstBitAndEveryBitAtExactlyTheRateP() {
        // 10,000 ten-bit individuals at p = 0.3: a gap drawn one too long (ceil for floor) never flips bit 0 and
        // flips p/(1+p) = 0.23 overall, which the loose 5-sigma count above cannot tell from 0.3 on sparse p.
        int n = 10_000;
        int bits = 10;
        Mask zeros = Mask.of(bits, i -> false);
        ISeq<Phenotype<BitGene, Double>> pop = java.util.stream.IntStream.range(0, n)
                .mapToObj(i -> individual(zeros, 0.0)).collect(ISeq.toISeq());
        var mutated = RandomRegistry.with(new SplittableRandom(5),
                r -> new BitFlipMutator<Double>(0.3).alter(pop, 2).population());
        int firstBit = 0;
        int all = 0;
        for (Phenotype<BitGene, Double> p : mutated) {
            Mask m = Genomes.toMask(p.genotype());
            firstBit += m.isKept(0) ? 1 : 0;
            all += m.keptCount();
        }
        assertEquals(0.3, firstBit / (double) n, 0.02, "bit 0 flips with p (sigma 0.005)");
        assertEquals(0.3, all / (double) (n * bits), 0.01, "every bit flips with p (sigma 0.0015)");
    }

    /** Lengths on both sides of word boundaries, and a genome of a real network's size: conversion goes by words. */
    @Test
    void genomesConvertWordForWord() {
        for (int length : new int[] {1, 63, 64, 65, 133, 1000, 266_200}) {
            Mask mask = Mask.of(length, i -> Long.bitCount(i * 0x9E3779B97F4A7C15L) % 2 == 0);
            Genotype<BitGene> genotype = Genomes.toGenotype(mask);
            BitChromosome bits = genotype.chromosome().as(BitChromosome.class);
            assertEquals(length, bits.length());
            for (int i = 0; i < length; i += Math.max(1, length / 97)) {
                assertEquals(mask.isKept(i), bits.booleanValue(i), "bit " + i);
            }
            assertEquals(mask, Genomes.toMask(genotype));
        }
    }

    @Test
    void rouletteGivesAFailedEvaluationNoShareAndLeavesTheOthersProportional() {
        Mask m = Mask.of(4, i -> true);
        ISeq<Phenotype<BitGene, Double>> evaluated = ISeq.of(individual(m, 0.9), individual(m, 0.1),
                individual(m, 0.5), individual(m, 0.3));
        assertArrayEquals(new double[] {0.9 / 1.8, 0.1 / 1.8, 0.5 / 1.8, 0.3 / 1.8},
                new RouletteSelector().probabilities(evaluated, 4), 1e-12, "raw fitness, as Jenetics' wheel");
        ISeq<Phenotype<BitGene, Double>> oneFailed = ISeq.of(individual(m, 0.9), individual(m, 0.1),
                individual(m, 0.5), individual(m, Fitness.WORST));
        assertArrayEquals(new double[] {0.9 / 1.5, 0.1 / 1.5, 0.5 / 1.5, 0},
                new RouletteSelector().probabilities(oneFailed, 4), 1e-12);
        ISeq<Phenotype<BitGene, Double>> negative = ISeq.of(individual(m, -0.2), individual(m, 0.2),
                individual(m, Fitness.WORST));
        assertArrayEquals(new double[] {0, 1, 0}, new RouletteSelector().probabilities(negative, 3), 1e-12,
                "shifted by the lowest evaluated fitness when it is negative");
        ISeq<Phenotype<BitGene, Double>> tied = ISeq.of(individual(m, -0.2), individual(m, -0.2),
                individual(m, Fitness.WORST));
        assertArrayEquals(new double[] {0.5, 0.5, 0}, new RouletteSelector().probabilities(tied, 3), 1e-12);

        // Through Jenetics' selection itself: the failed member is never drawn.
        var picked = RandomRegistry.with(new SplittableRandom(3),
                r -> new RouletteSelector().select(oneFailed, 1000, Optimize.MAXIMUM));
        assertTrue(picked.stream().noneMatch(p -> p.fitness() == Fitness.WORST));
    }
}
