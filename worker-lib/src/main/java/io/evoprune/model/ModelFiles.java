package io.evoprune.model;

import io.evoprune.data.DataFiles;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Model files read and written through Hadoop's FileSystem: DL4J ModelSerializer zips of a MultiLayerNetwork or a
 * ComputationGraph (with their updater state where present), and Keras 2 HDF5
 * Sequential models (imported with DL4J's Keras import; told apart by the HDF5 signature, not the file name).
 */
public final class ModelFiles {
    private static final String CONFIGURATION_ENTRY = "configuration.json";
    /** Where ModelSerializer.addNormalizerToModel bundles a normaliser, in the NormalizerSerializer format. */
    private static final String NORMALIZER_ENTRY = "normalizer.bin";
    /** What ModelSerializer writes for a network (normalizer.bin only when given a normaliser). */
    private static final Set<String> ENTRIES = Set.of(CONFIGURATION_ENTRY, "coefficients.bin", "updaterState.bin",
            "noParams.marker", NORMALIZER_ENTRY);
    private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    /** Enough of an HDF5 file's start for its superblock's addresses (at most 28 + 3 * 8 bytes). */
    private static final int SUPERBLOCK_BYTES = 64;

    private ModelFiles() {
    }

    /**
     * The file system holding a model file cannot be reached (unknown host, refused connection, no connector): the
     * file itself may be fine, so a caller that would blame the file tells this apart.
     */
    public static final class UnreachableException extends IOException {
        UnreachableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A MultiLayerNetwork or ComputationGraph zip, or a Keras Sequential HDF5 file, as a {@link Network}. */
    public static Network load(String location, Configuration hadoop) throws IOException {
        return read(location, "key model.path", hadoop).network();
    }

    /**
     * The network at {@code location} and the normaliser its zip bundles (ModelSerializer.addNormalizerToModel), in
     * one read of the file; errors name {@code source} (e.g. "key model.path", "--model") as what gave the path.
     */
    public static ModelFile read(String location, String source, Configuration hadoop) throws IOException {
        Path path = new Path(location);
        FileSystem fs;
        boolean exists;
        try {
            fs = DataFiles.withoutChecksums(DataFiles.fileSystem(path, hadoop));
            exists = fs.exists(path);
        } catch (IOException | IllegalArgumentException e) {
            // an unknown host (which Hadoop wraps in an IllegalArgumentException), a file system scheme without its
            // jars, a refused connection...
            throw new UnreachableException("Model file " + location + " cannot be reached (" + source + "): "
                    + DataFiles.reason(e), e);
        }
        if (!exists) {
            throw new IOException("Model file " + location + " does not exist (" + source + ")");
        }
        FileStatus status = fs.getFileStatus(path);
        if (!status.isFile()) {
            throw new IOException("Model path " + location + " is a folder, not a model file (" + source + ")");
        }
        long length = status.getLen();
        if (length == 0) {
            throw new IOException("Model file " + location + " is empty (" + source + ")");
        }
        try (InputStream in = new BufferedInputStream(fs.open(path))) {
            in.mark(SUPERBLOCK_BYTES);
            byte[] head = in.readNBytes(SUPERBLOCK_BYTES);
            in.reset();
            if (Arrays.equals(Arrays.copyOf(head, HDF5_SIGNATURE.length), HDF5_SIGNATURE)) {
                long end = hdf5EndOfFile(head);
                if (end > length) { // HDF5 itself would say so only in a page of native diagnostics
                    throw new IOException(String.format(java.util.Locale.ROOT, "Keras model %s is truncated: it holds"
                            + " %,d bytes, but its HDF5 header says %,d (%s)", location, length, end, source));
                }
                return new ModelFile(trainable(Network.of(importKeras(in, location))), null);
            }
            return restore(in.readAllBytes(), location, source);
        }
    }

    /**
     * The end-of-file address an HDF5 superblock at offset 0 records (HDF5 file format spec, section II.A: versions
     * 0 and 1 keep it after the B-tree settings, 2 and 3 right after the base address), or -1 if unknown.
     */
    static long hdf5EndOfFile(byte[] head) {
        if (head.length < 12) {
            return -1;
        }
        int version = head[8];
        int offsets = version <= 1 ? head[13] : head[9];
        int base = version == 0 ? 24 : version == 1 ? 28 : version <= 3 ? 12 : -1;
        if (base < 0 || offsets < 1 || offsets > 8 || base + 3 * offsets > head.length) {
            return -1;
        }
        return littleEndian(head, base, offsets) + littleEndian(head, base + 2 * offsets, offsets);
    }

    private static long littleEndian(byte[] bytes, int from, int size) {
        long value = 0;
        for (int i = size - 1; i >= 0; i--) {
            value = value << 8 | (bytes[from + i] & 0xff);
        }
        return value;
    }

    private static ModelFile restore(byte[] zip, String location, String source) throws IOException {
        byte[] normalizer = checkEntries(zip, location, source);
        if (normalizer != null) {
            io.evoprune.data.Normalization.check(normalizer,
                    "The normaliser bundled in model file " + location + " (" + source + ")");
        }
        NetworkKind kind = kindOf(zip, location, source);
        Model restored;
        try (InputStream in = new ByteArrayInputStream(zip)) {
            restored = kind == NetworkKind.GRAPH ? ModelSerializer.restoreComputationGraph(in, true)
                    : ModelSerializer.restoreMultiLayerNetwork(in, true);
        } catch (IOException | RuntimeException e) {
            throw new IOException("Model file " + location + " is not a readable DL4J "
                    + (kind == NetworkKind.GRAPH ? "ComputationGraph" : "MultiLayerNetwork") + " zip, or it is corrupt: "
                    + e, e);
        }
        try {
            return new ModelFile(trainable(Network.of(restored)), normalizer);
        } catch (IllegalArgumentException e) { // read fine, but of a shape evoprune does not take (e.g. two inputs)
            throw new IllegalArgumentException("Model file " + location + " (" + source + "): " + e.getMessage(), e);
        }
    }

    /**
     * A model file must hold only the parts evoprune reads: DL4J's loader turns a {@code preprocessor.bin} entry
     * into an object with plain Java deserialisation, which can run code chosen by whoever wrote the file. Such
     * a file is refused before DL4J sees it, as is any other entry a ModelSerializer file does not have.
     *
     * @return the bundled normaliser's bytes, or null when the zip has none
     */
    static byte[] checkEntries(byte[] zip, String location, String source) throws IOException {
        List<String> names = new ArrayList<>();
        byte[] normalizer = null;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                names.add(entry.getName());
                if (entry.getName().equals(NORMALIZER_ENTRY)) {
                    normalizer = in.readAllBytes();
                } else {
                    in.transferTo(OutputStream.nullOutputStream()); // reads it whole: a truncated entry fails here
                }
            }
        } catch (IOException e) {
            throw new IOException("Model file " + location + " is not a readable zip: it is truncated or corrupt ("
                    + e.getMessage() + ") (" + source + ")", e);
        }
        for (String name : names) {
            if (!ENTRIES.contains(name)) {
                throw new IOException("Model file " + location + " holds '" + name + "'; evoprune reads only "
                        + new TreeSet<>(ENTRIES) + (name.equals("preprocessor.bin")
                        ? " (DL4J would load preprocessor.bin by Java deserialisation, which can run code)" : "")
                        + " (" + source + ")");
            }
        }
        return normalizer;
    }

    /** Which network class a ModelSerializer zip holds, from its configuration entry. */
    static NetworkKind kindOf(byte[] zip, String location, String source) throws IOException {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (e.getName().equals(CONFIGURATION_ENTRY)) {
                    // A ComputationGraphConfiguration lists its vertices; a MultiLayerConfiguration its confs. Read as
                    // JSON (DL4J's own Jackson): a layer may be named "vertices".
                    JsonNode conf = new ObjectMapper().readTree(in.readAllBytes());
                    return conf != null && conf.has("vertices") ? NetworkKind.GRAPH : NetworkKind.MULTI_LAYER;
                }
            }
        } catch (IOException e) {
            throw new IOException("Model file " + location + " is neither a DL4J model zip nor a Keras HDF5 file, or it"
                    + " is corrupt (" + source + "): " + e, e);
        }
        throw new IOException("Model file " + location + " is neither a DL4J model zip (no " + CONFIGURATION_ENTRY
                + " entry) nor a Keras HDF5 file (" + source + ")");
    }

    /**
     * Keras import reads HDF5 through the native library, which needs a local file: the model is copied to a
     * temporary file first, so hdfs:// and s3a:// locations work too.
     */
    private static MultiLayerNetwork importKeras(InputStream in, String location) throws IOException {
        java.nio.file.Path local = Files.createTempFile("evoprune-keras-", ".h5");
        try {
            Files.copy(in, local, StandardCopyOption.REPLACE_EXISTING);
            return compiled(withOutputLayer(KerasModelImport.importKerasSequentialModelAndWeights(local.toString(), true)),
                    location, "");
        } catch (UnsupportedKerasConfigurationException | InvalidKerasConfigurationException e) {
            // The training configuration (loss, optimizer) is what makes the last layer an output layer that can
            // be fine-tuned; without one (a model saved before compile()), the layers alone import, or say why not.
            return compiled(importWithoutTraining(local, location, e), location, " (DL4J's import: " + e.getMessage() + ")");
        } catch (RuntimeException e) {
            throw new IOException("Keras model " + location + " cannot be imported as a Sequential model: " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(local);
        }
    }

    /** A compiled model imports ending in an output layer; one saved before compile() has no loss to fine-tune. */
    private static MultiLayerNetwork compiled(MultiLayerNetwork imported, String location, String why)
            throws IOException {
        if (!(imported.getOutputLayer() instanceof org.deeplearning4j.nn.api.layers.IOutputLayer)) {
            throw new IOException("Keras model " + location + " has no training configuration (it was saved before"
                    + " compile()), so it has no loss to fine-tune with: compile it with its loss and optimizer and"
                    + " save it again (model.save)" + why);
        }
        return imported;
    }

    private static MultiLayerNetwork importWithoutTraining(java.nio.file.Path local, String location, Exception first)
            throws IOException {
        try {
            return KerasModelImport.importKerasSequentialModelAndWeights(local.toString(), false);
        } catch (InvalidKerasConfigurationException | UnsupportedKerasConfigurationException | RuntimeException e) {
            IOException failure = new IOException("Keras model " + location + " cannot be imported as a Sequential model: "
                    + e.getMessage(), e);
            failure.addSuppressed(first);
            throw failure;
        }
    }

    /**
     * Makes a loaded model train on evoprune's data, in place, with the same results. A sparse cross-entropy
     * (Keras's sparse_categorical_crossentropy) takes class indices, and evoprune's labels are one-hot: MCXENT with
     * the same weights is the same loss on them. A Dropout that keeps every activation (DL4J's Keras import adds
     * Dropout(1.0) to layers) does nothing, and its backprop fails on channels-last activations: it is removed.
     */
    static Network trainable(Network net) {
        for (io.evoprune.mask.LayerGraph.Node node : io.evoprune.mask.LayerGraph.of(net.configuration()).nodes()) {
            org.deeplearning4j.nn.conf.layers.Layer layer = node.layer();
            if (layer == null) {
                continue;
            }
            if (layer.getIDropout() instanceof Dropout d && d.getPSchedule() == null && d.getP() == 1.0) {
                layer.setIDropout(null);
            }
            if (layer instanceof BaseOutputLayer out && out.getLossFn() instanceof LossSparseMCXENT sparse) {
                out.setLossFn(new LossMCXENT(sparse.getSoftmaxClipEps(), sparse.getWeights()));
            } else if (layer instanceof LossLayer loss && loss.getLossFn() instanceof LossSparseMCXENT sparse) {
                loss.setLossFn(new LossMCXENT(sparse.getSoftmaxClipEps(), sparse.getWeights()));
            }
        }
        return net;
    }

    /**
     * DL4J's Keras import ends a compiled model in its last Dense layer followed by a parameter-free LossLayer.
     * Merging the two into one OutputLayer (same weights, activation, loss and updater) gives the network the
     * shape of a native DL4J classifier or regressor, so pruning layouts treat the last Dense as the output.
     */
    static MultiLayerNetwork withOutputLayer(MultiLayerNetwork imported) {
        MultiLayerConfiguration conf = imported.getLayerWiseConfigurations().clone();
        List<NeuralNetConfiguration> confs = new ArrayList<>(conf.getConfs());
        int n = confs.size();
        if (n < 2 || !(confs.get(n - 1).getLayer() instanceof LossLayer loss)
                || !(confs.get(n - 2).getLayer() instanceof DenseLayer dense)) {
            return imported;
        }
        OutputLayer out = (OutputLayer) new OutputLayer.Builder(loss.getLossFn())
                .name(dense.getLayerName()).nIn(dense.getNIn()).nOut(dense.getNOut())
                .activation(dense.getActivationFn()).hasBias(dense.hasBias())
                .weightInit(dense.getWeightInitFn()).biasInit(dense.getBiasInit())
                .updater(dense.getIUpdater()).biasUpdater(dense.getBiasUpdater())
                .regularization(dense.getRegularization()).regularizationBias(dense.getRegularizationBias())
                .build();
        confs.get(n - 2).setLayer(out);
        confs.remove(n - 1);
        conf.setConfs(confs);
        conf.getInputPreProcessors().remove(n - 1);
        MultiLayerNetwork merged = new MultiLayerNetwork(conf);
        merged.init(imported.params().dup(), false);
        return merged;
    }

    public static void save(Network net, Path path, Configuration hadoop) throws IOException {
        save(net, null, path, hadoop);
    }

    /** {@link #zip} written to {@code path}. */
    public static void save(Network net, byte[] normalizer, Path path, Configuration hadoop) throws IOException {
        try (OutputStream out = DataFiles.withoutChecksums(path.getFileSystem(hadoop)).create(path, true)) {
            write(net, normalizer, out);
        }
    }

    /**
     * {@code net} as a ModelSerializer zip with its updater state, and with {@code normalizer} (NormalizerSerializer
     * bytes; may be null) bundled where ModelSerializer.restoreNormalizerFromInputStream finds it.
     */
    public static byte[] zip(Network net, byte[] normalizer) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        write(net, normalizer, bytes);
        return bytes.toByteArray();
    }

    /** Streams the zip to {@code out} (through a local temporary file when bundling), never whole in memory. */
    private static void write(Network net, byte[] normalizer, OutputStream out) throws IOException {
        if (normalizer == null) {
            ModelSerializer.writeModel(net.model(), out, true);
            return;
        }
        // DL4J 1.0.0-M2.1's writeModel(..., normalizer) to a stream closes the zip before it flushes the normaliser;
        // copying the entries into a new zip and adding one is what addNormalizerToModel does with a file.
        java.nio.file.Path model = Files.createTempFile("evoprune-model-", ".zip");
        try {
            ModelSerializer.writeModel(net.model(), model.toFile(), true);
            try (ZipInputStream in = new ZipInputStream(new BufferedInputStream(Files.newInputStream(model)));
                 ZipOutputStream zip = new ZipOutputStream(out)) {
                for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                    zip.putNextEntry(new ZipEntry(e.getName()));
                    in.transferTo(zip);
                    zip.closeEntry();
                }
                zip.putNextEntry(new ZipEntry(NORMALIZER_ENTRY));
                zip.write(normalizer);
                zip.closeEntry();
            }
        } finally {
            Files.deleteIfExists(model);
        }
    }
}
