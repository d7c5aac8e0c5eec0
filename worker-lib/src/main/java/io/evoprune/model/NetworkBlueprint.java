package io.evoprune.model;

import java.io.Serializable;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A network as its JSON configuration plus its flat parameters: how a base model travels to executors
 * (DL4J's own Spark training ships networks the same way).
 */
public record NetworkBlueprint(String configurationJson, float[] parameters) implements Serializable {

    public static NetworkBlueprint of(MultiLayerNetwork net) {
        return new NetworkBlueprint(net.getLayerWiseConfigurations().toJson(),
                net.params().castTo(DataType.FLOAT).toFloatVector());
    }

    public MultiLayerConfiguration configuration() {
        return MultiLayerConfiguration.fromJson(configurationJson);
    }

    /** A fresh, independent network with these parameters. */
    public MultiLayerNetwork newNetwork() {
        return newNetwork(configuration(), Nd4j.createFromArray(parameters));
    }

    /** A network over a copy of {@code parameters}, for callers that cache the parsed pieces. */
    public static MultiLayerNetwork newNetwork(MultiLayerConfiguration conf, INDArray parameters) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf.clone());
        net.init(parameters.castTo(conf.getDataType()).dup(), false);
        return net;
    }
}
