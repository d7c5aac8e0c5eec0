package io.evoprune.config;

/** Configuration keys: the base network and what the genome prunes. */
public final class ModelKeys {
    private ModelKeys() {
    }

    public static final ConfigKey MODEL_PATH = new ConfigKey("model.path", "",
            "Trained DL4J MultiLayerNetwork (ModelSerializer zip). Empty = build model.architecture and pretrain it.");
    public static final ConfigKey MODEL_ARCHITECTURE = new ConfigKey("model.architecture", "lenet-300-100",
            "Built-in network used when model.path is empty: lenet-300-100 (784-300-100-10 MLP, ReLU, softmax).");
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
