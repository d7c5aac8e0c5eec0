package io.evoprune.model;

/**
 * What one read of a model file gives: the network, and the normaliser its zip bundles (NormalizerSerializer bytes,
 * checked to be one evoprune can apply; null when it has none or is Keras HDF5).
 */
public record ModelFile(Network network, byte[] normalizer) {
}
