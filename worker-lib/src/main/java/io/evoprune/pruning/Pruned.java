package io.evoprune.pruning;

import io.evoprune.mask.Mask;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** What a classic pruner that trains while it prunes hands back: the final mask and the trained, masked network. */
public record Pruned(Mask mask, MultiLayerNetwork network) {
}
