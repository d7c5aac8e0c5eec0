package io.evoprune.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/** DL4J model files (ModelSerializer zip) read and written through Hadoop's FileSystem. */
public final class ModelFiles {
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
        try (InputStream in = fs.open(path)) {
            return ModelSerializer.restoreMultiLayerNetwork(in, true);
        } catch (IOException | RuntimeException e) {
            throw new IOException("Model file " + location + " is not a DL4J MultiLayerNetwork file: " + e.getMessage(), e);
        }
    }

    public static void save(MultiLayerNetwork net, Path path, Configuration hadoop) throws IOException {
        FileSystem fs = path.getFileSystem(hadoop);
        try (OutputStream out = fs.create(path, true)) {
            ModelSerializer.writeModel(net, out, true);
        }
    }
}
