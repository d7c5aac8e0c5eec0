package io.evoprune.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.evoprune.data.ArrayDataset;
import io.evoprune.mask.Granularity;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.model.NetworkKind;
import io.evoprune.model.NetworkBlueprint;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The settings digest caches results and guards resumes: every input that decides a score must move it, and the
 * per-part digests must say which part moved. Built without ND4J: the digests read only values.
 */
class WorkloadTest {
    private static final PrunableLayout LAYOUT = new PrunableLayout(Granularity.NEURON,
            List.of(new PrunableLayout.Segment("a", 2, 0, List.of("a"), List.of(), List.of())));

    /** Three examples of two features; {@code edit} may change one value of a copy. */
    private static ArrayDataset data(float offset, UnaryOperator<float[]> edit) {
        float[] features = {offset, 1, 2, 3, 4, 5};
        return new ArrayDataset(edit.apply(features.clone()), 2, new int[] {0, 1, 0}, 2);
    }

    private static Workload workload(ArrayDataset fineTune, ArrayDataset validation, byte[] normaliser,
                                     FineTuneSettings settings, Fitness fitness) {
        return new Workload(new NetworkBlueprint(NetworkKind.MULTI_LAYER, "{\"layers\":2}", new float[] {0.5f, -1}),
                fineTune, validation, LAYOUT, settings, fitness, 1, normaliser);
    }

    private static final FineTuneSettings SETTINGS = new FineTuneSettings(1, 2, 32, 0.01);
    private static final Fitness FITNESS = new Fitness(Metric.ACCURACY, Fitness.Size.UNITS, 0.3, 2);
    private static final byte[] NORMALISER = {1, 2, 3};

    private static Workload base() {
        return workload(data(0, f -> f), data(10, f -> f), NORMALISER, SETTINGS, FITNESS);
    }

    @Test
    void anIdenticalWorkloadHasIdenticalDigests() {
        assertEquals(base().settingsDigest(), base().settingsDigest());
        assertEquals(base().inputDigests(), base().inputDigests());
        assertEquals(List.of("model", "fine-tune data", "validation data", "normaliser", "settings"),
                List.copyOf(base().inputDigests().keySet()));
    }

    @Test
    void eachInputMovesTheDigestAndOnlyItsOwnPart() {
        UnaryOperator<float[]> oneExample = f -> {
            f[3] += 0.25f; // example 1, feature 1
            return f;
        };
        assertMoves("fine-tune data", workload(data(0, oneExample), data(10, f -> f), NORMALISER, SETTINGS, FITNESS));
        assertMoves("validation data", workload(data(0, f -> f), data(10, oneExample), NORMALISER, SETTINGS, FITNESS));
        assertMoves("normaliser", workload(data(0, f -> f), data(10, f -> f), new byte[] {1, 2, 4}, SETTINGS, FITNESS));
        assertMoves("settings", workload(data(0, f -> f), data(10, f -> f), NORMALISER,
                new FineTuneSettings(2, 2, 32, 0.01), FITNESS));
        assertMoves("settings", workload(data(0, f -> f), data(10, f -> f), NORMALISER, SETTINGS,
                new Fitness(Metric.ACCURACY, Fitness.Size.UNITS, 0.3, 2.5)));
    }

    /** {@code changed} differs from {@link #base()} in {@code part} alone: that part's digest and the whole move. */
    private static void assertMoves(String part, Workload changed) {
        Workload base = base();
        assertNotEquals(base.settingsDigest(), changed.settingsDigest(), part + " must be in settingsDigest()");
        Map<String, Long> before = base.inputDigests();
        Map<String, Long> after = changed.inputDigests();
        for (String p : before.keySet()) {
            if (p.equals(part)) {
                assertNotEquals(before.get(p), after.get(p), part);
            } else {
                assertEquals(before.get(p), after.get(p), p + " did not change when " + part + " did");
            }
        }
    }
}
