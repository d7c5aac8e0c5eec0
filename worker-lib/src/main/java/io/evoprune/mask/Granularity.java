package io.evoprune.mask;

import io.evoprune.evaluation.Checks;

/** What one bit of the genome stands for. */
public enum Granularity {
    /** A hidden unit of a dense layer: its incoming weights, its bias and its outgoing weights. */
    NEURON,
    /**
     * An output channel of a 2-D convolution layer: its kernel, its bias, the channel's batch-norm parameters
     * downstream, and the matching input channel (or flattened inputs) of every layer that reads it.
     */
    FILTER,
    /** One connection: a single element of the weight matrix or kernel ({@code W}) of a selected layer. */
    WEIGHT;

    public static Granularity parse(String key, String value) {
        return Checks.choice(Granularity.class, key, value);
    }

    public String configName() {
        return Checks.configName(this);
    }

}
