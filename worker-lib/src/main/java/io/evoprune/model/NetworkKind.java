package io.evoprune.model;

/** The two DL4J network classes evoprune prunes; everything else goes through {@link Network}. */
public enum NetworkKind {
    /** {@code MultiLayerNetwork}: a chain of layers. */
    MULTI_LAYER,
    /** {@code ComputationGraph}: layers and vertices in a directed acyclic graph (one input, one output). */
    GRAPH
}
