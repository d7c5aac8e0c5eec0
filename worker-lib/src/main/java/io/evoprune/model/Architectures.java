package io.evoprune.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Built-in networks for users who bring data but no model. */
public final class Architectures {
    public static final List<String> NAMES = List.of("lenet-300-100", "lenet-5");

    private Architectures() {
    }

    /**
     * The named network for examples of {@code inputShape} ({@code [features]} or images {@code [c, h, w]}) and
     * {@code outputs} classes (softmax, cross-entropy) or regression targets (identity, mean squared error).
     */
    public static MultiLayerConfiguration build(String name, int[] inputShape, int outputs, boolean regression,
                                                double learningRate, long seed) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "lenet-300-100" -> lenet300100(size(inputShape), outputs, regression, learningRate, seed);
            case "lenet-5" -> lenet5(inputShape, outputs, regression, learningRate, seed);
            default -> throw new IllegalArgumentException(
                    "model.architecture must be one of " + String.join(", ", NAMES) + ", but was '" + name + "'");
        };
    }

    /** LeNet-300-100: the classic pruning benchmark MLP (LeCun et al. 1998; Han et al. 2015). */
    public static MultiLayerConfiguration lenet300100(int inputs, int classes, double learningRate, long seed) {
        return lenet300100(inputs, classes, false, learningRate, seed);
    }

    private static MultiLayerConfiguration lenet300100(int inputs, int outputs, boolean regression, double learningRate,
                                                       long seed) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(learningRate))
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new DenseLayer.Builder().name("fc1").nIn(inputs).nOut(300).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().name("fc2").nIn(300).nOut(100).activation(Activation.RELU).build())
                .layer(output(outputs, regression).nIn(100).build())
                .build();
    }

    /**
     * LeNet-5 style CNN (LeCun et al. 1998, with ReLU and max pooling): conv 5x5x6 (same padding) - pool 2 -
     * conv 5x5x16 - pool 2 - dense 120 - dense 84 - output. It reads flattened images
     * ({@link InputType#convolutionalFlat}), so IDX, image-folder and flat CSV pixels all fit.
     */
    public static MultiLayerConfiguration lenet5(int[] inputShape, int outputs, boolean regression, double learningRate,
                                                 long seed) {
        int[] chw = imageShape(inputShape);
        if (chw[1] < 12 || chw[2] < 12) {
            throw new IllegalArgumentException("model.architecture=lenet-5 needs images of at least 12 x 12 pixels, but the "
                    + "data's examples have shape " + Arrays.toString(inputShape));
        }
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(learningRate))
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5).name("conv1").nOut(6).padding(2, 2).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name("pool1").kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(5, 5).name("conv2").nOut(16).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name("pool2").kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().name("fc1").nOut(120).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().name("fc2").nOut(84).activation(Activation.RELU).build())
                .layer(output(outputs, regression).build())
                .setInputType(InputType.convolutionalFlat(chw[1], chw[2], chw[0]))
                .build();
    }

    private static OutputLayer.Builder output(int outputs, boolean regression) {
        OutputLayer.Builder out = regression
                ? new OutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
                : new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX);
        return out.name("out").nOut(outputs);
    }

    /** [c, h, w] of image data; [h, w] means one channel; a flat square vector is read as one square grey image. */
    private static int[] imageShape(int[] shape) {
        if (shape.length == 3) {
            return shape;
        }
        if (shape.length == 2) {
            return new int[] {1, shape[0], shape[1]};
        }
        int side = (int) Math.round(Math.sqrt(shape[0]));
        if (shape.length == 1 && side * side == shape[0]) {
            return new int[] {1, side, side};
        }
        throw new IllegalArgumentException("model.architecture=lenet-5 needs image data ([channels, height, width]); the "
                + "data's examples have shape " + Arrays.toString(shape) + ", which is not a square image");
    }

    private static int size(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }
}
