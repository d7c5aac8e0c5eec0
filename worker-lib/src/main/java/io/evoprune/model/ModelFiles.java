package io.evoprune.model;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.util.ModelSerializer;

/**
 * DL4J model files (ModelSerializer zip of a MultiLayerNetwork or a ComputationGraph, with its updater state
 * where present) read and written through Hadoop's FileSystem.
 */
public final class ModelFiles {
    private static final String CONFIGURATION_ENTRY = "configuration.json";

    private ModelFiles() {
    }

    public static Network load(String location, Configuration hadoop) throws IOException {
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
        NetworkKind kind = kindOf(bytes, location);
        try (InputStream in = new ByteArrayInputStream(bytes)) {
            return Network.of(kind == NetworkKind.GRAPH ? ModelSerializer.restoreComputationGraph(in, true)
                    : ModelSerializer.restoreMultiLayerNetwork(in, true));
        } catch (IOException | RuntimeException e) {
            throw new IOException("Model file " + location + " is not a readable DL4J "
                    + (kind == NetworkKind.GRAPH ? "ComputationGraph" : "MultiLayerNetwork") + " file: " + e.getMessage(), e);
        }
    }

    /** Which network class a ModelSerializer zip holds, from its configuration entry. */
    static NetworkKind kindOf(byte[] zip, String location) throws IOException {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (e.getName().equals(CONFIGURATION_ENTRY)) {
                    String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    // A ComputationGraphConfiguration lists its vertices; a MultiLayerConfiguration its confs.
                    return json.contains("\"vertices\"") ? NetworkKind.GRAPH : NetworkKind.MULTI_LAYER;
                }
            }
        } catch (IOException e) {
            throw new IOException("Model file " + location + " is not a DL4J model zip: " + e.getMessage(), e);
        }
        throw new IOException("Model file " + location + " is not a DL4J model zip (no " + CONFIGURATION_ENTRY + " entry)");
    }

    public static void save(Network net, Path path, Configuration hadoop) throws IOException {
        FileSystem fs = path.getFileSystem(hadoop);
        try (OutputStream out = fs.create(path, true)) {
            ModelSerializer.writeModel(net.model(), out, true);
        }
    }
}
