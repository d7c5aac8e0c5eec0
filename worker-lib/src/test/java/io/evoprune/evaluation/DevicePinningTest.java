package io.evoprune.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class DevicePinningTest {

    @Test
    void aTaskWithAGpuAddressIsPinnedToThatDeviceOnCuda() {
        DevicePinning.Placement p = DevicePinning.place(new String[] {"3"}, false, 4);
        assertTrue(p.onGpu());
        assertTrue(p.pinned());
        assertEquals(3, p.device());
        assertEquals("3", p.assigned());
    }

    @Test
    void onlyTheFirstAddressCountsWhenATaskHoldsSeveral() {
        assertEquals(1, DevicePinning.place(new String[] {" 1 ", "2"}, false, 4).device());
    }

    @Test
    void noGpuResourceMeansTheCpuBackendAndSaysWhy() {
        DevicePinning.Placement p = DevicePinning.place(null, true, 0);
        assertFalse(p.onGpu());
        assertTrue(p.reason().contains("spark.task.resource.gpu.amount"), p.reason());
        assertFalse(DevicePinning.place(new String[0], true, 0).onGpu());
        assertEquals(null, p.assigned());
    }

    @Test
    void theCudaBuildWithoutAGpuResourceLeavesTheDeviceToNd4j() {
        DevicePinning.Placement p = DevicePinning.place(null, false, 2);
        assertTrue(p.onGpu());
        assertFalse(p.pinned());
        assertTrue(p.reason().contains("default device"), p.reason());
    }

    @Test
    void aGpuAssignedToACpuBuildRunsOnTheCpuAndNamesTheCudaProfile() {
        DevicePinning.Placement p = DevicePinning.place(new String[] {"0"}, true, 0);
        assertFalse(p.onGpu());
        assertFalse(p.pinned());
        assertEquals("0", p.assigned(), "what Spark assigned is still reported");
        assertTrue(p.reason().contains("-Pcuda"), p.reason());
    }

    @Test
    void anAddressBeyondTheVisibleDevicesIsAnErrorNamingIt() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> DevicePinning.place(new String[] {"2"}, false, 2));
        assertTrue(e.getMessage().contains("GPU address 2"), e.getMessage());
        assertTrue(e.getMessage().contains("CUDA_VISIBLE_DEVICES"), e.getMessage());
    }

    @Test
    void addressesThatAreNotDeviceIndicesAreRejected() {
        for (String bad : new String[] {"GPU-8f2c", "", "-1", "0,1", null}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DevicePinning.parseAddress(bad));
            assertTrue(e.getMessage().contains("gpu-discovery.sh"), e.getMessage());
        }
        assertEquals(0, DevicePinning.parseAddress("0"));
        assertEquals(12, DevicePinning.parseAddress("12"));
    }

    @Test
    @Tag("integration") // loads ND4J's native backend (seconds)
    void outsideASparkTaskTheDefaultBuildRunsOnTheCpu() {
        DevicePinning.Placement p = DevicePinning.pinCurrentTask();
        assertFalse(p.onGpu());
    }
}
