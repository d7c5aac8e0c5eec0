package io.evoprune.mask;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Small networks over 28x28 grey images (flat 784 inputs) with the structures the granularities must handle. */
public final class TestNetworks {
    private TestNetworks() {
    }

    /** A LeNet-5-style CNN: conv1(4) - bn1 - pool - conv2(6) - pool - fc(16) - out(10). */
    public static MultiLayerConfiguration lenet5(long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).updater(new Adam(1e-3)).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5).name("conv1").nOut(4).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().name("bn1").build())
                .layer(new org.deeplearning4j.nn.conf.layers.ActivationLayer.Builder().name("relu1")
                        .activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name("pool1").kernelSize(2, 2)
                        .stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(5, 5).name("conv2").nOut(6).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name("pool2").kernelSize(2, 2)
                        .stride(2, 2).build())
                .layer(new DenseLayer.Builder().name("fc").nOut(16).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1))
                .build();
    }

    /**
     * A graph with a branch: c0 is read by three convolutions; ca and cc are added elementwise (a residual-style
     * tie), the sum is merged with cb, batch-normalised, pooled, flattened into a dense layer.
     */
    public static ComputationGraphConfiguration branch(long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).updater(new Adam(1e-3)).weightInit(WeightInit.XAVIER)
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder()
                .addInputs("in")
                .addLayer("c0", new ConvolutionLayer.Builder(3, 3).stride(2, 2).nOut(4).activation(Activation.RELU).build(), "in")
                .addLayer("ca", new ConvolutionLayer.Builder(3, 3).nOut(3).activation(Activation.RELU).build(), "c0")
                .addLayer("cb", new ConvolutionLayer.Builder(3, 3).nOut(2).activation(Activation.RELU).build(), "c0")
                .addLayer("cc", new ConvolutionLayer.Builder(1, 1).nOut(3).activation(Activation.RELU).build(), "c0")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "ca", "cc")
                .addVertex("merge", new MergeVertex(), "add", "cb")
                .addLayer("bn", new BatchNormalization.Builder().build(), "merge")
                .addLayer("pool", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
                        .stride(2, 2).build(), "bn")
                .addLayer("fc", new DenseLayer.Builder().nOut(12).activation(Activation.RELU).build(), "pool")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build(), "fc")
                .setOutputs("out")
                .setInputTypes(InputType.convolutionalFlat(28, 28, 1))
                .build();
    }

    /** {@code n} examples of 784 uniform random features (ND4J's generator seeded with {@code seed}), labels cycling 0..9. */
    public static DataSet randomData(int n, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray features = Nd4j.rand(DataType.FLOAT, n, 784);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, n, 10);
        for (int i = 0; i < n; i++) {
            labels.putScalar(i, i % 10, 1);
        }
        return new DataSet(features, labels);
    }

    /** An MLP 784-20-10-10. */
    public static MultiLayerConfiguration mlp(long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).updater(new Adam(1e-3)).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new DenseLayer.Builder().name("fc1").nIn(784).nOut(20).activation(Activation.SIGMOID).build())
                .layer(new DenseLayer.Builder().name("fc2").nOut(10).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(784))
                .build();
    }

    /** A recurrent layer after a dense one: nothing evoprune's granularities can follow. */
    public static MultiLayerConfiguration withLstm(long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).updater(new Adam(1e-3)).list()
                .layer(new DenseLayer.Builder().name("fc1").nIn(8).nOut(6).build())
                .layer(new LSTM.Builder().name("lstm").nOut(4).build())
                .layer(new org.deeplearning4j.nn.conf.layers.RnnOutputLayer.Builder().name("out").nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.recurrent(8))
                .build();
    }
}
