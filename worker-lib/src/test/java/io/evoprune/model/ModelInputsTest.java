package io.evoprune.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.data.ArrayDataset;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
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

    /** Convolutions then a dense layer, built for {@code side} x {@code side} grey images. */
    private static MultiLayerConfiguration cnn(int side) {
        return new NeuralNetConfiguration.Builder().list()
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(4).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(3, 3).name("c2").nOut(8).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().name("fc").nOut(16).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutional(side, side, 1))
                .build();
    }

    /** {@link #cnn} as a ComputationGraph, with a branch merged back before the dense layer. */
    private static ComputationGraphConfiguration graph(int side) {
        return new NeuralNetConfiguration.Builder().graphBuilder().addInputs("in")
                .addLayer("c1", new ConvolutionLayer.Builder(5, 5).nOut(4).activation(Activation.RELU).build(), "in")
                .addLayer("pool", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
                        .stride(2, 2).build(), "c1")
                .addLayer("c2", new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.RELU).build(), "pool")
                .addLayer("c3", new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.RELU).build(), "pool")
                .addVertex("both", new MergeVertex(), "c2", "c3")
                .addLayer("fc", new DenseLayer.Builder().nOut(16).activation(Activation.RELU).build(), "both")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "fc")
                .setOutputs("out").setInputTypes(InputType.convolutional(side, side, 1)).build();
    }

    private static ArrayDataset images(int height, int width) {
        return ArrayDataset.classification(new float[height * width], new int[] {1, height, width}, new int[] {0}, 3);
    }

    /** A network built for 32 x 32 images reads them, and refuses 28 x 28 ones naming the sizes that fit. */
    private static void refusesSmallerImages(Object conf) {
        assertArrayEquals(new int[] {1, 32, 32}, ModelInputs.fit(conf, images(32, 32)).featureShape());
        // 32 -> conv 5x5 -> 28 -> pool -> 14 -> conv 3x3 -> 12: fc reads 12 x 12 maps, 28 x 28 images give 10 x 10.
        // The pooling's stride rounds 33 -> 29 down to 14 as well: both sides give fc its maps.
        String smaller = assertThrows(IllegalArgumentException.class, () -> ModelInputs.fit(conf, images(28, 28)))
                .getMessage();
        assertEquals("the model takes images of 32-33 x 32-33 (height x width; its layer 'fc' reads feature maps of"
                + " 12 x 12) but the data's images are 28 x 28 (shape [1, 28, 28])", smaller);
    }

    @Test
    void imagesOfAnotherSizeThanTheNetworkWasBuiltForAreRefusedNamingBothSizes() {
        refusesSmallerImages(cnn(32));
        assertArrayEquals(new int[] {1, 33, 32}, ModelInputs.fit(cnn(32), images(33, 32)).featureShape());
        String wider = assertThrows(IllegalArgumentException.class, () -> ModelInputs.fit(cnn(28), images(28, 40)))
                .getMessage();
        assertTrue(wider.startsWith("the model takes images of 28-29 x 28-29 (height x width;"), wider);
    }

    @Test
    void aComputationGraphIsCheckedAlike() {
        refusesSmallerImages(graph(32));
    }

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
