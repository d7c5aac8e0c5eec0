package io.evoprune.rebuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.mask.Granularity;
import io.evoprune.mask.Mask;
import io.evoprune.mask.MaskApplier;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.model.ModelFiles;
import io.evoprune.model.Network;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The exported rebuilt model is a plain DL4J model: a fresh JVM whose classpath holds DL4J and ND4J but no
 * evoprune class loads it with ModelSerializer and reproduces its outputs.
 */
@Tag("integration")
class PlainDl4jLoadTest {

    private static final String PROGRAM = """
            import java.io.File;
            import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
            import org.deeplearning4j.util.ModelSerializer;
            import org.nd4j.linalg.api.ndarray.INDArray;
            import org.nd4j.linalg.factory.Nd4j;

            public class PlainLoad {
                public static void main(String[] args) throws Exception {
                    try {
                        Class.forName("io.evoprune.rebuild.NetworkRebuilder");
                        System.out.println("EVOPRUNE ON CLASSPATH");
                        System.exit(3);
                    } catch (ClassNotFoundException expected) {
                        // The point of the test: no evoprune class is needed.
                    }
                    MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(new File(args[0]), false);
                    INDArray x = Nd4j.readBinary(new File(args[1]));
                    INDArray expected = Nd4j.readBinary(new File(args[2]));
                    double diff = net.output(x).sub(expected).amaxNumber().doubleValue();
                    System.out.println("PARAMS " + net.numParams() + " DIFF " + diff);
                }
            }
            """;

    @Test
    void aFreshJvmWithoutEvopruneLoadsTheRebuiltModel() throws Exception {
        Path tmp = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
        Path dir = Files.createTempDirectory(tmp, "plain-load");
        MultiLayerNetwork masked = MlpRebuildTest.mlp();
        PrunableLayout layout = PrunableLayout.of(masked.getLayerWiseConfigurations(), Granularity.NEURON);
        Mask mask = Mask.of(layout.units(), i -> i % 3 == 0);
        MaskApplier.apply(Network.of(masked), layout, mask);
        Network rebuilt = MaskRebuild.rebuild(Network.of(masked), layout, mask).network();
        Path model = dir.resolve("rebuilt-model.zip");
        Files.write(model, ModelFiles.zip(rebuilt, null));
        INDArray x = TestData.testFeatures().get(NDArrayIndex.interval(0, 200));
        Nd4j.saveBinary(x, dir.resolve("x.bin").toFile());
        Nd4j.saveBinary(rebuilt.output(x), dir.resolve("y.bin").toFile());

        String classpath = plainClasspath();
        Path source = dir.resolve("PlainLoad.java");
        Files.writeString(source, PROGRAM);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, "-cp", classpath, "-d", dir.toString(), source.toString()),
                "the plain program compiles against DL4J alone");

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", dir + File.pathSeparator + classpath));
        String cache = System.getProperty("org.bytedeco.javacpp.cachedir");
        if (cache != null) {
            command.add("-Dorg.bytedeco.javacpp.cachedir=" + cache);
        }
        command.addAll(List.of("PlainLoad", model.toString(), dir.resolve("x.bin").toString(),
                dir.resolve("y.bin").toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        boolean finished = process.waitFor(150, TimeUnit.SECONDS);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!finished) {
            process.destroyForcibly();
        }
        assertTrue(finished, "the plain JVM did not finish: " + output);
        assertEquals(0, process.exitValue(), output);
        String line = output.lines().filter(l -> l.startsWith("PARAMS ")).findFirst().orElseThrow(() ->
                new AssertionError("no result line in: " + output));
        String[] parts = line.split(" ");
        assertEquals(rebuilt.numParams(), Long.parseLong(parts[1]));
        assertTrue(Double.parseDouble(parts[3]) < 1e-6, line);
    }

    /** This test JVM's classpath less evoprune's own classes: what a plain DL4J program has. */
    private static String plainClasspath() {
        String full = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> entries = Stream.of(full.split(File.pathSeparator))
                .filter(e -> !e.isBlank())
                .filter(e -> !(e.endsWith("target" + File.separator + "classes")
                        || e.endsWith("target" + File.separator + "test-classes")
                        || e.contains("evoprune-") || e.contains("surefire")))
                .collect(Collectors.toList());
        assertTrue(entries.stream().anyMatch(e -> e.contains("deeplearning4j-nn")), "DL4J not found in " + full);
        return String.join(File.pathSeparator, entries);
    }
}
