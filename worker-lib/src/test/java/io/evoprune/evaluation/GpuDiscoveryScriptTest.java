package io.evoprune.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** conf/gpu-discovery.sh against a stand-in nvidia-smi: the JSON Spark reads, and the failures it reports. */
class GpuDiscoveryScriptTest {
    private static final Path SCRIPT = Path.of("..", "conf", "gpu-discovery.sh").toAbsolutePath().normalize();

    record Result(int exit, String out, String err) {
    }

    static Result run(String nvidiaSmiBody, Map<String, String> env) throws IOException, InterruptedException {
        Path bin = Files.createTempDirectory(Files.createDirectories(Path.of("target", "tmp")), "fake-smi");
        if (nvidiaSmiBody != null) {
            Path smi = bin.resolve("nvidia-smi");
            Files.writeString(smi, "#!/bin/sh\n" + nvidiaSmiBody + "\n");
            assertTrue(smi.toFile().setExecutable(true));
        }
        ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toString());
        pb.environment().remove("CUDA_VISIBLE_DEVICES");
        pb.environment().put("PATH", bin.toAbsolutePath() + ":/usr/bin:/bin");
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "script finished");
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim(),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void printsEveryGpuNvidiaSmiLists() throws Exception {
        Result r = run("printf '0\\n1\\n2\\n3\\n'", Map.of());
        assertEquals(0, r.exit(), r.err());
        assertEquals("{\"name\":\"gpu\",\"addresses\":[\"0\",\"1\",\"2\",\"3\"]}", r.out());
        for (String address : new String[] {"0", "1", "2", "3"}) {
            assertEquals(Integer.parseInt(address), DevicePinning.parseAddress(address));
        }
    }

    @Test
    void visibleDevicesAreRenumberedFromZeroAsCudaDoes() throws Exception {
        Result r = run("printf '0\\n1\\n2\\n3\\n'", Map.of("CUDA_VISIBLE_DEVICES", "2,3"));
        assertEquals(0, r.exit(), r.err());
        assertEquals("{\"name\":\"gpu\",\"addresses\":[\"0\",\"1\"]}", r.out());
    }

    @Test
    void visibleDevicesEndAtTheFirstThatNamesNoGpuAsCudaReadsThem() throws Exception {
        // 0,1,2,3 on a host with two GPUs: CUDA sees two, and Spark must not schedule tasks on four.
        Result past = run("printf '0\\n1\\n'", Map.of("CUDA_VISIBLE_DEVICES", "0,1,2,3"));
        assertEquals("{\"name\":\"gpu\",\"addresses\":[\"0\",\"1\"]}", past.out(), past.err());
        Result stop = run("printf '0\\n1\\n'", Map.of("CUDA_VISIBLE_DEVICES", "1,-1,0"));
        assertEquals("{\"name\":\"gpu\",\"addresses\":[\"0\"]}", stop.out(), stop.err());
        Result uuid = run("printf '0\\n1\\n'", Map.of("CUDA_VISIBLE_DEVICES", "GPU-8f6c2d1e"));
        assertEquals("{\"name\":\"gpu\",\"addresses\":[\"0\"]}", uuid.out(), uuid.err());
        Result decimal = run("seq 0 9", Map.of("CUDA_VISIBLE_DEVICES", "08,09")); // decimal, not octal
        assertEquals("{\"name\":\"gpu\",\"addresses\":[\"0\",\"1\"]}", decimal.out(), decimal.err());
        Result none = run("printf '0\\n1\\n'", Map.of("CUDA_VISIBLE_DEVICES", "-1"));
        assertEquals(1, none.exit());
        assertTrue(none.err().contains("CUDA_VISIBLE_DEVICES='-1' hides every GPU (nvidia-smi lists 2)"), none.err());
    }

    @Test
    void aHostWithoutTheNvidiaDriverFailsWithTheReason() throws Exception {
        Result r = run(null, Map.of());
        assertEquals(1, r.exit());
        assertEquals("", r.out(), "nothing Spark could mistake for GPUs");
        assertTrue(r.err().contains("nvidia-smi not found"), r.err());
        assertTrue(r.err().contains("docs/gpu.md"), r.err());
    }

    @Test
    void aFailingNvidiaSmiIsReported() throws Exception {
        Result r = run("echo 'NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver' >&2; exit 9",
                Map.of());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("could not communicate with the NVIDIA driver"), r.err());
    }

    @Test
    void hiddenDevicesAreAnError() throws Exception {
        Result r = run("printf '0\\n'", Map.of("CUDA_VISIBLE_DEVICES", ""));
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("hides every GPU"), r.err());
    }
}
