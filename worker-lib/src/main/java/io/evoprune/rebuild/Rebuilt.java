package io.evoprune.rebuild;

import java.util.List;
import org.deeplearning4j.nn.api.Model;

/** A physically smaller network and, layer by layer, what the rebuild removed. */
public record Rebuilt(Model network, List<LayerChange> layers) {
    public Rebuilt {
        layers = List.copyOf(layers);
    }
}
