package io.evoprune.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.factory.Nd4j;

/** What a figure was measured on: CPU, cores, memory, OS, JVM, ND4J backend and BLAS, load at the start. */
final class Machine {
    private Machine() {
    }

    static Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpu", firstValue(Path.of("/proc/cpuinfo"), "model name"));
        m.put("cores", Runtime.getRuntime().availableProcessors());
        String mem = firstValue(Path.of("/proc/meminfo"), "MemTotal");
        m.put("memoryGiB", mem == null ? null : Math.round(Long.parseLong(mem.replaceAll("[^0-9]", "")) / 1048576.0));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.put("spark", org.apache.spark.package$.MODULE$.SPARK_VERSION());
        m.put("nd4jBackend", Nd4j.getBackend().getClass().getSimpleName());
        m.put("blas", String.valueOf(Nd4j.factory().blas().getBlasVendor()));
        m.put("openblasCoretype", System.getenv("OPENBLAS_CORETYPE"));
        m.put("loadAverageAtStart", java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage());
        return m;
    }

    private static String firstValue(Path file, String key) {
        try {
            List<String> lines = Files.readAllLines(file);
            for (String line : lines) {
                if (line.startsWith(key)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }
}
