package io.evoprune.rebuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.model.Network;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Measured costs follow the shapes: multiply-adds exactly, memory and file size in the right direction. */
@Tag("integration")
class FootprintTest {

    @Test
    void rebuiltMlpCostsLessOnEveryCount() {
        MultiLayerNetwork base = MlpRebuildTest.mlp();
        // Keep 100 of 300 and 50 of 100 neurons.
        Rebuilt rebuilt = NetworkRebuilder.rebuild(base, Map.of(0, IntStream.range(0, 100).map(i -> 3 * i).toArray(),
                1, IntStream.range(0, 50).map(i -> 2 * i).toArray()));
        List<Footprint> f = Footprint.measure(List.of(Network.of(base), rebuilt.network()), TestData.testFeatures(),
                new Footprint.Settings(256, 2, 5));
        Footprint b = f.get(0);
        Footprint r = f.get(1);
        assertEquals(784L * 300 + 300 * 100 + 100 * 10, b.multiplyAdds());
        assertEquals(784L * 100 + 100 * 50 + 50 * 10, r.multiplyAdds());
        assertEquals(base.numParams(), b.parameters());
        assertEquals(4 * base.numParams(), b.parameterBytes());
        assertTrue(r.fileBytes() < b.fileBytes(), r.fileBytes() + " vs " + b.fileBytes());
        // The activations of a batch of 256 live in workspaces, sized by the widest layers: 300 vs 100 floats.
        assertTrue(b.workspaceBytes() > 0 && r.workspaceBytes() < b.workspaceBytes(),
                r.workspaceBytes() + " vs " + b.workspaceBytes());
        assertTrue(r.peakInferenceBytes() < b.peakInferenceBytes());
        assertTrue(b.latencyBatch1Ms() > 0 && b.latencyBatchNMs() > 0 && r.latencyBatchNMs() > 0);
    }
}
