package io.evoprune.pruning;

import io.evoprune.mask.Mask;
import io.evoprune.model.Network;

/** What a classic pruner that trains while it prunes hands back: the final mask and the trained, masked network. */
public record Pruned(Mask mask, Network network) {
}
