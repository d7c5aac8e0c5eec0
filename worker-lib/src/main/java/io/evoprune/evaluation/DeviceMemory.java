package io.evoprune.evaluation;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * A GPU's memory in use, for the benchmark's memory per evaluation and the GPU tests' leak check: a device's used
 * memory as the CUDA driver reports it (every process, ND4J's cached blocks included). There is no CPU
 * counterpart: ND4J M2.1 allocates its CPU buffers in native code that neither its allocation tracker nor
 * JavaCPP's byte count sees (measured: both stay flat while arrays pile up), and the JVM's resident size moves
 * with the heap far more than with an evaluation.
 */
public final class DeviceMemory {
    private DeviceMemory() {
    }

    /** Bytes in use on CUDA device {@code device}, or -1 on the CPU backend. */
    public static long usedBytes(int device) {
        if (Nd4j.getEnvironment().isCPU()) {
            return -1;
        }
        var ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        return ops.getDeviceTotalMemory(device) - ops.getDeviceFreeMemory(device);
    }

    /**
     * The lowest {@link #usedBytes} over {@code tries} rounds of garbage collection and 0.2 s of waiting: ND4J frees
     * a device buffer only once its Java object is collected, on its own deallocator threads.
     */
    public static long settledUsedBytes(int device, int tries) throws InterruptedException {
        long lowest = Long.MAX_VALUE;
        for (int i = 0; i < tries; i++) {
            System.gc();
            Thread.sleep(200);
            lowest = Math.min(lowest, usedBytes(device));
        }
        return lowest;
    }

    /** What {@link #usedBytes} measures, in words. */
    public static String what(int device) {
        return Nd4j.getEnvironment().isCPU() ? "not measured on the CPU backend"
                : "used memory of CUDA device " + device + " (" + NativeOpsHolder.getInstance().getDeviceNativeOps()
                        .getDeviceName(device) + ")";
    }
}
