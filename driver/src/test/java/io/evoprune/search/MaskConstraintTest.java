package io.evoprune.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.mask.Mask;
import io.jenetics.BitChromosome;
import io.jenetics.Genotype;
import org.junit.jupiter.api.Test;

class MaskConstraintTest {

    @Test
    void genomesConvertWordForWord() {
        for (int length : new int[] {1, 63, 64, 65, 1000, 266_200}) {
            Mask mask = Mask.of(length, i -> Long.bitCount(i * 0x9E3779B97F4A7C15L) % 2 == 0);
            Genotype<io.jenetics.BitGene> genotype = Genomes.toGenotype(mask);
            BitChromosome bits = genotype.chromosome().as(BitChromosome.class);
            assertEquals(length, bits.length());
            for (int i = 0; i < length; i += Math.max(1, length / 97)) {
                assertEquals(mask.isKept(i), bits.booleanValue(i), "bit " + i);
            }
            assertEquals(mask, Genomes.toMask(genotype));
        }
    }

    @Test
    void falseGenotypesAreRecognisedAndTrueOnesPassThrough() {
        Mask allPruned = Mask.of(70, i -> false);
        assertFalse(Genomes.toMask(Genomes.toGenotype(allPruned)).isKept(3));
        assertTrue(Genomes.toMask(Genomes.toGenotype(Mask.allKept(70))).isKept(69));
    }
}
