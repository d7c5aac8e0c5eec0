package io.evoprune.evaluation;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each evaluation on the GPU that Spark's resource scheduling gave its task. With
 * {@code spark.task.resource.gpu.amount} set, every task carries a "gpu" resource whose first address (from
 * the discovery script, conf/gpu-discovery.sh) names a device index; ND4J's CUDA backend binds devices per
 * thread, and Spark reuses task threads, so the device is selected at the start of every task, never left at
 * whatever the thread (or device 0) had before. Without a GPU resource, or with the CPU backend loaded, the
 * evaluation runs on the CPU backend and the executor logs that once.
 */
public final class DevicePinning {
    /** Spark's resource name for GPUs, as in {@code spark.executor.resource.gpu.amount}. */
    public static final String GPU = "gpu";

    private static final Logger LOG = LoggerFactory.getLogger(DevicePinning.class);
    // Per executor JVM: say once (not once per task) why evaluations run on the CPU.
    private static final AtomicBoolean CPU_NOTED = new AtomicBoolean();

    private DevicePinning() {
    }

    /**
     * Where one task's evaluation runs.
     *
     * @param onGpu    whether the evaluation runs on the CUDA backend (else on the CPU backend)
     * @param device   the CUDA device index the thread is pinned to, or -1 when not pinned
     * @param assigned the GPU address Spark assigned the task, or null when it assigned none
     * @param reason   why, in words for the executor log
     */
    public record Placement(boolean onGpu, int device, String assigned, String reason) {
        public boolean pinned() {
            return device >= 0;
        }
    }

    /** Selects the current Spark task's GPU for this thread, if it has one and the CUDA backend is loaded. */
    public static Placement pinCurrentTask() {
        TaskContext task = TaskContext.get();
        Map<String, ResourceInformation> resources = task == null ? Map.of() : task.resourcesJMap();
        ResourceInformation gpu = resources.get(GPU);
        return pin(gpu == null ? null : gpu.addresses());
    }

    /**
     * Selects the device of the first of {@code gpuAddresses} for this thread (what a task does with Spark's
     * assignment; benchmarks and tests outside Spark call it directly), or stays on the CPU backend.
     */
    public static Placement pin(String[] gpuAddresses) {
        boolean cpuBackend = Nd4j.getEnvironment().isCPU();
        Placement placement = place(gpuAddresses, cpuBackend,
                cpuBackend ? 0 : Nd4j.getAffinityManager().getNumberOfDevices());
        if (placement.pinned()) {
            Nd4j.getAffinityManager().unsafeSetDevice(placement.device());
            LOG.debug("{} pinned to GPU {}", Thread.currentThread().getName(), placement.device());
        } else if (CPU_NOTED.compareAndSet(false, true)) {
            LOG.info(placement.reason());
        }
        return placement;
    }

    /**
     * The decision, apart from Spark and ND4J so it can be tested anywhere.
     *
     * @param gpuAddresses the task's "gpu" addresses, or null when it was given none
     * @param cpuBackend   whether ND4J loaded its CPU backend (the default build) rather than CUDA
     * @param devices      CUDA devices ND4J sees (ignored on the CPU backend)
     */
    static Placement place(String[] gpuAddresses, boolean cpuBackend, int devices) {
        if (gpuAddresses == null || gpuAddresses.length == 0) {
            return new Placement(!cpuBackend, -1, null, "evoprune: no GPU resource assigned to evaluation tasks "
                    + "(spark.task.resource.gpu.amount unset); evaluation runs on the "
                    + (cpuBackend ? "CPU backend" : "CUDA backend's default device for each thread"));
        }
        int device = parseAddress(gpuAddresses[0]);
        if (cpuBackend) {
            return new Placement(false, -1, gpuAddresses[0].trim(), "evoprune: task was assigned GPU "
                    + gpuAddresses[0] + " but ND4J loaded its CPU backend (the application jar was not built with -Pcuda); "
                    + "evaluation runs on the CPU backend");
        }
        if (device >= devices) {
            throw new IllegalStateException("Spark assigned GPU address " + gpuAddresses[0] + " but ND4J sees only "
                    + devices + " CUDA device(s) (indices 0.." + (devices - 1) + "); the GPU discovery script must print "
                    + "indices as this process sees them (mind CUDA_VISIBLE_DEVICES)");
        }
        return new Placement(true, device, gpuAddresses[0].trim(), "GPU " + device);
    }

    /** A discovery-script address is a CUDA device index, e.g. "0" or "3". */
    static int parseAddress(String address) {
        String a = address == null ? "" : address.trim();
        if (!a.matches("\\d{1,4}")) {
            throw new IllegalArgumentException("GPU address '" + address + "' from Spark's resource discovery is not a "
                    + "device index (expected 0, 1, ...; see conf/gpu-discovery.sh)");
        }
        return Integer.parseInt(a);
    }
}
