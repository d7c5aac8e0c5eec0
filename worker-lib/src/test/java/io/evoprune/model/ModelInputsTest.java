package io.evoprune.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.evoprune.data.ArrayDataset;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The view of the data a network's first layer reads. */
class ModelInputsTest {
    private static final MultiLayerConfiguration EMBEDDING = new NeuralNetConfiguration.Builder().list()
            .layer(new EmbeddingLayer.Builder().name("tokens").nIn(50).nOut(8).build())
            .layer(new DenseLayer.Builder().nIn(8).nOut(16).activation(Activation.RELU).build())
            .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16).nOut(3)
                    .activation(Activation.SOFTMAX).build())
            .build();

    @Test
    void anEmbeddingReadsOneTokenIndexPerExample() {
        // An embedding's nIn is its vocabulary, not its input width: one column of whole numbers below it.
        ArrayDataset tokens = new ArrayDataset(new float[] {0, 49, 7}, 1, new int[] {0, 1, 2}, 3);
        ArrayDataset seen = ModelInputs.fit(EMBEDDING, tokens);
        assertArrayEquals(new int[] {1}, seen.featureShape());
        assertEquals(3, Network.init(EMBEDDING).output(seen.toDataSet().getFeatures()).size(0));

        String wide = assertThrows(IllegalArgumentException.class, () -> ModelInputs.adapt(EMBEDDING,
                new ArrayDataset(new float[50], 50, new int[] {0}, 3))).getMessage();
        assertEquals("the model starts with embedding layer 'tokens', which reads one token index per example, but the"
                + " data has 50 features per example (shape [50])", wide);
        String outside = assertThrows(IllegalArgumentException.class, () -> ModelInputs.adapt(EMBEDDING,
                new ArrayDataset(new float[] {3, 50}, 1, new int[] {0, 1}, 3))).getMessage();
        assertEquals("example 1 holds token index 50.0, but embedding layer 'tokens' takes whole numbers in [0, 50)",
                outside);
    }
}
