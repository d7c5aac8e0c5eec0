package io.evoprune.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Model files are read through DL4J's loader only, and never with a Java-serialised object inside. */
@Tag("integration") // loads ND4J
class ModelFileSafetyTest {

    @Test
    void aSavedModelLoads() throws Exception {
        Path file = folder().resolve("model.zip");
        Files.write(file, savedModel());
        Network net = ModelFiles.load(file.toString(), new Configuration());
        assertEquals(784 * 300 + 300 + 300 * 100 + 100 + 100 * 10 + 10, net.numParams());
    }

    @Test
    void aModelCarryingASerialisedObjectIsRefusedBeforeDl4jReadsIt() throws Exception {
        // The same valid model plus a preprocessor.bin entry, which DL4J would hand to ObjectInputStream.
        ByteArrayOutputStream tampered = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(savedModel()));
             ZipOutputStream out = new ZipOutputStream(tampered)) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                out.putNextEntry(new ZipEntry(e.getName()));
                in.transferTo(out);
            }
            out.putNextEntry(new ZipEntry("preprocessor.bin"));
            ObjectOutputStream object = new ObjectOutputStream(out);
            object.writeObject(new java.util.ArrayList<String>());
            object.flush();
        }
        Path file = folder().resolve("tampered.zip");
        Files.write(file, tampered.toByteArray());

        IOException e = assertThrows(IOException.class, () -> ModelFiles.load(file.toString(), new Configuration()));
        assertTrue(e.getMessage().startsWith("Model file " + file + " holds 'preprocessor.bin'"), e.getMessage());
        assertTrue(e.getMessage().contains("Java deserialisation"), e.getMessage());
    }

    private static byte[] savedModel() throws IOException {
        MultiLayerNetwork net = new MultiLayerNetwork(Architectures.lenet300100(784, 10, 1e-3, 1));
        net.init();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, bytes, true);
        return bytes.toByteArray();
    }

    private static Path folder() throws IOException {
        return Files.createTempDirectory(Files.createDirectories(Path.of(System.getProperty("user.dir"), "target",
                "model-files")), "models");
    }
}
