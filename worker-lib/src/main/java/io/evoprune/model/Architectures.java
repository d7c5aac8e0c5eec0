package io.evoprune.model;

import java.util.Locale;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Built-in networks for users who bring data but no model. */
public final class Architectures {
    private Architectures() {
    }

    public static MultiLayerConfiguration build(String name, int inputs, int classes, double learningRate, long seed) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "lenet-300-100" -> lenet300100(inputs, classes, learningRate, seed);
            default -> throw new IllegalArgumentException(
                    "model.architecture must be one of lenet-300-100, but was '" + name + "'");
        };
    }

    /** LeNet-300-100: the classic pruning benchmark MLP (LeCun et al. 1998; Han et al. 2015). */
    public static MultiLayerConfiguration lenet300100(int inputs, int classes, double learningRate, long seed) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(learningRate))
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new DenseLayer.Builder().name("fc1").nIn(inputs).nOut(300).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().name("fc2").nIn(300).nOut(100).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out")
                        .nIn(100).nOut(classes).activation(Activation.SOFTMAX).build())
                .build();
    }
}
