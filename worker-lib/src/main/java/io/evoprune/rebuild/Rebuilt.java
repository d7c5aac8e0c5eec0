package io.evoprune.rebuild;

import java.util.List;
import io.evoprune.model.Network;

/** A physically smaller network and, layer by layer, what the rebuild removed. */
public record Rebuilt(Network network, List<LayerChange> layers) {
    public Rebuilt {
        layers = List.copyOf(layers);
    }
}
