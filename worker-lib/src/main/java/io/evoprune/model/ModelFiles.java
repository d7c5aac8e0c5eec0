package io.evoprune.model;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/** DL4J model files (ModelSerializer zip) read and written through Hadoop's FileSystem. */
public final class ModelFiles {
    /** What ModelSerializer writes for a MultiLayerNetwork (normalizer.bin only when given a normaliser). */
    private static final Set<String> ENTRIES = Set.of("configuration.json", "coefficients.bin", "updaterState.bin",
            "noParams.marker", "normalizer.bin");

    private ModelFiles() {
    }

    public static MultiLayerNetwork load(String location, Configuration hadoop) throws IOException {
        Path path = new Path(location);
        FileSystem fs = path.getFileSystem(hadoop);
        if (!fs.exists(path)) {
            throw new IOException("Model file " + location + " does not exist (key model.path)");
        }
        if (fs.getFileStatus(path).getLen() == 0) {
            throw new IOException("Model file " + location + " is empty (key model.path)");
        }
        byte[] bytes;
        try (InputStream in = fs.open(path)) {
            bytes = in.readAllBytes();
        }
        refuseSerialisedObjects(bytes, location);
        try {
            return ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes), true);
        } catch (IOException | RuntimeException e) {
            throw new IOException("Model file " + location + " is not a DL4J MultiLayerNetwork file: " + e.getMessage(), e);
        }
    }

    /**
     * A model file must hold only the parts evoprune reads: DL4J's loader turns a {@code preprocessor.bin} entry
     * into an object with plain Java deserialisation, which can run code chosen by whoever wrote the file. Such
     * a file is refused before DL4J sees it, as is any other entry a MultiLayerNetwork file does not have.
     */
    static void refuseSerialisedObjects(byte[] zip, String location) throws IOException {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (!ENTRIES.contains(entry.getName())) {
                    throw new IOException("Model file " + location + " holds '" + entry.getName() + "'; evoprune reads only "
                            + new TreeSet<>(ENTRIES) + (entry.getName().equals("preprocessor.bin")
                            ? " (DL4J would load preprocessor.bin by Java deserialisation, which can run code)" : "")
                            + " (key model.path)");
                }
            }
        }
    }

    public static void save(MultiLayerNetwork net, Path path, Configuration hadoop) throws IOException {
        FileSystem fs = path.getFileSystem(hadoop);
        try (OutputStream out = fs.create(path, true)) {
            ModelSerializer.writeModel(net, out, true);
        }
    }
}
