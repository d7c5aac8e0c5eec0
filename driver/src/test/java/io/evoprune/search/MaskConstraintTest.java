package io.evoprune.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.mask.Mask;
import io.evoprune.mask.MaskRepair;
import io.jenetics.BitGene;
import io.jenetics.Genotype;
import io.jenetics.Phenotype;
import io.jenetics.util.Factory;
import org.junit.jupiter.api.Test;

/** The Jenetics constraint over {@link Fakes#halfOfEachLayer}: fc1 (6 units, keeps >= 3) and fc2 (4 units, >= 2). */
class MaskConstraintTest {
    private static final MaskRepair REPAIR = Fakes.halfOfEachLayer();
    private static final MaskConstraint CONSTRAINT = new MaskConstraint(REPAIR);

    private static Phenotype<BitGene, Double> individual(String bits, long generation) {
        return Phenotype.of(Genomes.toGenotype(Mask.parse(bits)), generation);
    }

    @Test
    void passesMasksThatKeepEveryLayersMinimumAndFailsOthers() {
        assertTrue(CONSTRAINT.test(individual("111000" + "1100", 0)), "exactly the minimum in both layers");
        assertFalse(CONSTRAINT.test(individual("000000" + "1111", 0)), "fc1 emptied");
        assertFalse(CONSTRAINT.test(individual("111111" + "1000", 0)), "fc2 one unit short");
    }

    @Test
    void repairRestoresTheMinimumInTheShortLayerOnlyAndKeepsTheGeneration() {
        Mask emptied = Mask.parse("000000" + "1111");
        Phenotype<BitGene, Double> repaired = CONSTRAINT.repair(individual(emptied.toBitString(), 9), 7);
        assertEquals(7, repaired.generation(), "the generation the engine passes, not the individual's");
        assertTrue(CONSTRAINT.test(repaired));
        Mask mask = Genomes.toMask(repaired.genotype());
        assertEquals(3, mask.keptCount(0, 6), "fc1 back to its minimum, no more");
        assertEquals(emptied.toBitString().substring(6), mask.toBitString().substring(6), "fc2 untouched");
        assertEquals(REPAIR.repair(emptied), mask, "the units MaskRepair chooses");
    }

    /** How GeneticSearch builds its initial population: every genotype the factory makes is checked and repaired. */
    @Test
    void aConstrainedFactoryMakesOnlyValidGenotypes() {
        Factory<Genotype<BitGene>> allPruned = () -> Genomes.toGenotype(Mask.parse("0000000000"));
        Genotype<BitGene> made = CONSTRAINT.constrain(allPruned).newInstance();
        Mask mask = Genomes.toMask(made);
        assertEquals(3, mask.keptCount(0, 6));
        assertEquals(2, mask.keptCount(6, 10));
    }
}
