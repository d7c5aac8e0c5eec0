package io.evoprune.importance;

import io.evoprune.model.Network;
import io.evoprune.mask.Granularity;
import io.evoprune.mask.PrunableLayout;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A 2-3-2 ReLU/softmax network with hand-set weights, small enough to compute every criterion by hand.
 * W0 (2x3) = [[1, -2, 0.5], [0, 1, -1]], b0 = [0, 0.5, 0]; W1 (3x2) = [[1, 2], [-1, 0], [0.5, 0.5]], b1 = 0.
 * Inputs [1, 1] and [2, 0] give hidden pre-activations [1, -0.5, -0.5] and [2, -3.5, 1] (none at a ReLU kink).
 */
public final class TinyNetwork {
    private TinyNetwork() {
    }

    public static Network network() {
        return network(0);
    }

    /** The same network with an L1 penalty of {@code l1} on its weights. */
    public static Network network(double l1) {
        var conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(1).l1(l1).list()
                .layer(new DenseLayer.Builder().nIn(2).nOut(3).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(3).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.getLayer(0).getParam("W").assign(Nd4j.createFromArray(new double[][] {{1, -2, 0.5}, {0, 1, -1}}));
        net.getLayer(0).getParam("b").assign(Nd4j.createFromArray(new double[] {0, 0.5, 0}).reshape(1, 3));
        net.getLayer(1).getParam("W").assign(Nd4j.createFromArray(new double[][] {{1, 2}, {-1, 0}, {0.5, 0.5}}));
        net.getLayer(1).getParam("b").assign(0);
        return Network.of(net);
    }

    public static PrunableLayout layout(Network net) {
        return PrunableLayout.of(net.configuration(), Granularity.NEURON);
    }

    public static DataSet sample() {
        return new DataSet(Nd4j.createFromArray(new double[][] {{1, 1}, {2, 0}}),
                Nd4j.createFromArray(new double[][] {{1, 0}, {0, 1}}));
    }
}
