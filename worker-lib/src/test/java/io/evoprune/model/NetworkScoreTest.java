package io.evoprune.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.evoprune.mask.TestNetworks;
import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * The validation loss taken from the output already computed for the metrics must be the loss DL4J's own
 * {@code score} computes with a second forward pass, regularisation included, for every output layer it handles.
 */
class NetworkScoreTest {
    private static final int BATCH = 64;

    @Test
    void softmaxCrossEntropyLossComesFromTheOutput() {
        assertLossFromOutput(Network.init(Architectures.lenet300100(784, 10, 1e-3, 1)), classes(10));
    }

    @Test
    void meanSquaredErrorLossComesFromTheOutput() {
        assertLossFromOutput(Network.init(Architectures.build("lenet-300-100", new int[] {784}, 3, true, 1e-3, 1)),
                targets(3));
    }

    @Test
    void convolutionalAndGraphNetworksToo() {
        assertLossFromOutput(Network.init(TestNetworks.lenet5(2)), classes(10));
        assertLossFromOutput(Network.init(TestNetworks.branch(3)), classes(10));
    }

    @Test
    void regularisationWeightedLossAndLossLayerAreIncluded() {
        MultiLayerConfiguration weighted = new NeuralNetConfiguration.Builder().seed(4).updater(new Adam(1e-3))
                .weightInit(WeightInit.XAVIER).l2(0.05).l1(0.01).list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(20).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder().lossFunction(new LossMCXENT(Nd4j.linspace(1, 3, 10, DataType.FLOAT)))
                        .nOut(10).activation(Activation.SOFTMAX).build())
                .build();
        assertLossFromOutput(Network.init(weighted), classes(10));
        MultiLayerConfiguration lossLayer = new NeuralNetConfiguration.Builder().seed(5).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(10).activation(Activation.IDENTITY).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).build())
                .build();
        assertLossFromOutput(Network.init(lossLayer), classes(10));
    }

    @Test
    void otherActivationsScoreWithASecondPass() {
        MultiLayerConfiguration sigmoid = new NeuralNetConfiguration.Builder().seed(6).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(20).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nOut(10).activation(Activation.SIGMOID)
                        .build())
                .build();
        Network net = Network.init(sigmoid);
        DataSet data = new DataSet(features(), classes(10));
        INDArray output = net.output(data.getFeatures());
        assertEquals(net.score(data), net.score(data.getFeatures(), data.getLabels(), output), 1e-6);
        // The features, not the output, decide here: other features give another loss.
        INDArray other = features().muli(0.5);
        assertEquals(net.score(new DataSet(other, data.getLabels())), net.score(other, data.getLabels(), output),
                1e-6);
    }

    /** Same loss as DL4J's two-pass score, and from the output alone: the features passed along are not read. */
    private static void assertLossFromOutput(Network net, INDArray labels) {
        INDArray x = features();
        DataSet data = new DataSet(x, labels);
        double expected = net.score(data);
        INDArray output = net.output(x);
        assertEquals(expected, net.score(x, labels, output), 1e-5 * Math.max(1, Math.abs(expected)));
        INDArray other = features().muli(0.5);
        assertNotEquals(expected, net.score(new DataSet(other, labels)), 1e-4, "the check below needs other features");
        assertEquals(expected, net.score(other, labels, output), 1e-5 * Math.max(1, Math.abs(expected)));
    }

    private static INDArray features() {
        return uniform(7, 784);
    }

    private static INDArray classes(int n) {
        Random random = new Random(8);
        INDArray y = Nd4j.zeros(DataType.FLOAT, BATCH, n);
        for (int i = 0; i < BATCH; i++) {
            y.putScalar(i, random.nextInt(n), 1);
        }
        return y;
    }

    private static INDArray targets(int n) {
        return uniform(9, n).muli(4).subi(2);
    }

    private static INDArray uniform(long seed, int columns) {
        Random random = new Random(seed);
        float[] values = new float[BATCH * columns];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextFloat();
        }
        return Nd4j.create(values, new long[] {BATCH, columns}, DataType.FLOAT);
    }
}
