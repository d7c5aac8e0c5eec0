package io.evoprune.model;

import java.io.Serializable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A network as its kind, JSON configuration and flat parameters: how a base model travels to executors
 * (DL4J's own Spark training ships networks the same way).
 */
public record NetworkBlueprint(NetworkKind kind, String configurationJson, float[] parameters) implements Serializable {

    public static NetworkBlueprint of(Network net) {
        return new NetworkBlueprint(net.kind(), net.configurationJson(),
                net.params().castTo(DataType.FLOAT).toFloatVector());
    }

    /** The parsed configuration: a MultiLayerConfiguration or a ComputationGraphConfiguration. */
    public Object configuration() {
        return Network.parseConfiguration(kind, configurationJson);
    }

    /** A fresh, independent network with these parameters. */
    public Network newNetwork() {
        return Network.create(configuration(), Nd4j.createFromArray(parameters));
    }

    /** A network over a copy of {@code parameters}, for callers that cache the parsed pieces. */
    public static Network newNetwork(Object configuration, INDArray parameters) {
        return Network.create(configuration, parameters);
    }
}
