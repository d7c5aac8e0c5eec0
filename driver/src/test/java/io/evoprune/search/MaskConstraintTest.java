package io.evoprune.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.mask.Granularity;
import io.evoprune.mask.Mask;
import io.evoprune.mask.MaskRepair;
import io.evoprune.mask.MaskSettings;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.model.Network;
import io.jenetics.BitGene;
import io.jenetics.Genotype;
import io.jenetics.Phenotype;
import io.jenetics.util.Factory;
import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The Jenetics constraint over a two-segment neuron layout: fc1 (6 units, keeps >= 3) and fc2 (4 units, >= 2). */
class MaskConstraintTest {
    private static final MaskRepair REPAIR = repair();
    private static final MaskConstraint CONSTRAINT = new MaskConstraint(REPAIR);

    private static MaskRepair repair() {
        Network base = Network.init(new NeuralNetConfiguration.Builder().seed(5).list()
                .layer(new DenseLayer.Builder().name("fc1").nIn(8).nOut(6).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().name("fc2").nOut(4).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(8))
                .build());
        MaskSettings half = new MaskSettings(Granularity.NEURON, List.of(), List.of(), 0.5);
        PrunableLayout layout = PrunableLayout.of(base.configuration(), half);
        assertEquals(List.of("fc1", "fc2"), layout.segments().stream().map(PrunableLayout.Segment::name).toList());
        return MaskRepair.of(layout, half, base);
    }

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
