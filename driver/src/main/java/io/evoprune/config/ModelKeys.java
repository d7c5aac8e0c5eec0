package io.evoprune.config;

/** Configuration keys: the base network and what the genome prunes. */
public final class ModelKeys {
    private ModelKeys() {
    }

    public static final ConfigKey MODEL_PATH = new ConfigKey("model.path", "",
            "Trained network: a DL4J MultiLayerNetwork or ComputationGraph (ModelSerializer zip; one input, one "
                    + "output) or a Keras 2 HDF5 Sequential model (.h5, saved after compile()). Empty = build "
                    + "model.architecture and pretrain it.");
    public static final ConfigKey MODEL_ARCHITECTURE = new ConfigKey("model.architecture", "lenet-300-100",
            "Built-in network used when model.path is empty: lenet-300-100 (MLP with 300 and 100 ReLU units) or lenet-5 "
                    + "(CNN: conv 5x5x6, pool, conv 5x5x16, pool, dense 120, 84; needs square images: IDX, an image "
                    + "folder or flat pixel columns such as 784 in a CSV); softmax output, or identity + MSE for "
                    + "regression.");
    public static final ConfigKey MODEL_PRETRAIN_EPOCHS = new ConfigKey("model.pretrain.epochs", "3",
            "Epochs of pretraining for a built-in network, on all training examples before validation.");
    public static final ConfigKey MODEL_PRETRAIN_BATCH = new ConfigKey("model.pretrain.batch-size", "128",
            "Batch size of pretraining.");
    public static final ConfigKey MODEL_PRETRAIN_LR = new ConfigKey("model.pretrain.learning-rate", "0.001",
            "Adam learning rate of pretraining.");
    public static final ConfigKey MASK_GRANULARITY = new ConfigKey("mask.granularity", "neuron",
            "What one bit of the genome prunes: neuron (a hidden unit of a dense layer), filter (an output channel of a"
                    + " 2-D convolution, with its batch-norm channel and every consumer's matching inputs) or weight (one"
                    + " connection of a dense, convolution or output layer). See docs/granularities.md.");
}
