package io.evoprune.pruning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.regularization.L1Regularization;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;

/** Sparsity training adds its L1 term to what the model already regularises with. */
class GradualPruningTest {
    @Test
    void l1IsAddedToTheLayersOwnRegularisationAndTheOriginalIsUntouched() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().l2(1e-4).list()
                .layer(new DenseLayer.Builder().nOut(4).build())
                .layer(new OutputLayer.Builder().nOut(2).build())
                .setInputType(InputType.feedForward(3)).build();
        MultiLayerConfiguration sparse = (MultiLayerConfiguration) GradualPruning.withL1(conf, 1e-3);
        for (int i = 0; i < 2; i++) {
            List<Regularization> terms = ((BaseLayer) sparse.getConf(i).getLayer()).getRegularization();
            assertEquals(2, terms.size(), terms.toString());
            assertTrue(terms.stream().anyMatch(r -> r instanceof L2Regularization), "L2 kept: " + terms);
            assertTrue(terms.stream().anyMatch(r -> r instanceof L1Regularization), "L1 added: " + terms);
            List<Regularization> original = ((BaseLayer) conf.getConf(i).getLayer()).getRegularization();
            assertEquals(1, original.size(), "the base configuration is a copy's source, not changed");
        }
        MultiLayerConfiguration twice = (MultiLayerConfiguration) GradualPruning.withL1(sparse, 2e-3);
        assertEquals(2, ((BaseLayer) twice.getConf(0).getLayer()).getRegularization().size(), "one L1 term, replaced");
    }
}
