package io.evoprune.farm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.evaluation.DevicePinning;
import io.evoprune.evaluation.EvaluationResult;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.Test;

class EvaluationCountersTest {
    private static final DevicePinning.Placement CPU = new DevicePinning.Placement(false, -1, null, "cpu");
    private static final DevicePinning.Placement CPU_GIVEN_GPU = new DevicePinning.Placement(false, -1, "0", "cpu");
    private static final DevicePinning.Placement GPU = new DevicePinning.Placement(true, 1, "1", "gpu");

    private static EvaluationCounters counters() {
        return new EvaluationCounters(new LongAccumulator(), new LongAccumulator(), new LongAccumulator(),
                new LongAccumulator(), new LongAccumulator());
    }

    private static EvaluationResult ok(int index) {
        return new EvaluationResult(index, 0.5, 0.8, 0.4, 0.5, 100, 0.1, null);
    }

    @Test
    void placementSaysWhereTheEvaluationsRan() {
        EvaluationCounters c = counters();
        assertNull(c.placement(), "none ran");
        c.count(ok(0), CPU);
        c.count(EvaluationResult.failure(1, 0.5, 0.1, "boom"), CPU);
        assertEquals("CPU", c.placement());
        assertEquals(2L, c.evaluations().value());
        assertEquals(1L, c.failed().value());

        EvaluationCounters g = counters();
        g.count(ok(0), GPU);
        assertEquals("GPU", g.placement());
        g.count(ok(1), CPU);
        assertEquals("1 of 2 on a GPU", g.placement());
    }

    @Test
    void gpusTheCpuBuildLeftUnusedAreNamed() {
        EvaluationCounters c = counters();
        c.count(ok(0), CPU_GIVEN_GPU);
        c.count(ok(1), CPU_GIVEN_GPU);
        assertEquals(2L, c.gpuAssigned().value());
        assertEquals(0L, c.onGpu().value());
        assertTrue(c.placement().startsWith("CPU (Spark assigned a GPU to 2 of 2 evaluations, but the application jar"
                + " is the CPU build"), c.placement());
    }
}
