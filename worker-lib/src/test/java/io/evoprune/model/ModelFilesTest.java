package io.evoprune.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.data.ArrayDataset;
import io.evoprune.data.DataFormat;
import io.evoprune.data.DataSource;
import io.evoprune.data.DataLoader;
import io.evoprune.data.Normalization;
import io.evoprune.evaluation.Scores;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.MultiNormalizerStandardize;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;

/** Model files: the Keras HDF5 fixture (tools/make-keras-fixture.py), DL4J zips, and files that are neither. */
class ModelFilesTest {
    private static final Configuration HADOOP = new Configuration();
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    @TempDir
    Path dir;

    @Test
    @Tag("integration")
    void importsTheKerasFixtureWithItsTrainedWeights() throws Exception {
        Path h5 = Path.of(ModelFilesTest.class.getResource("/keras/fashion-mlp.h5").toURI());
        Network loaded = ModelFiles.load(h5.toString(), HADOOP);
        assertEquals(NetworkKind.MULTI_LAYER, loaded.kind());
        MultiLayerNetwork net = (MultiLayerNetwork) loaded.model();
        assertEquals(2, net.getnLayers());
        DenseLayer hidden = (DenseLayer) net.getLayerWiseConfigurations().getConf(0).getLayer();
        assertEquals(784, hidden.getNIn());
        assertEquals(32, hidden.getNOut());
        assertTrue(net.getLayerWiseConfigurations().getConf(1).getLayer() instanceof OutputLayer,
                net.getLayerWiseConfigurations().getConf(1).getLayer().toString());
        assertEquals(10, ModelInputs.outputs(net.getLayerWiseConfigurations()));
        // The fixture was trained on the first 2,000 shipped training images; on the shipped test images it must
        // score far above chance (10%), which holds only if every kernel and bias was imported in the right place.
        ArrayDataset test = DataLoader.load(shippedIdx(ROOT.resolve("data/fashion-mnist-small").toString()), 1, HADOOP)
                .test().slice(0, 500);
        ArrayDataset flat = ModelInputs.adapt(net.getLayerWiseConfigurations(), test);
        double accuracy = Scores.of(loaded, flat.toDataSet()).accuracy();
        assertTrue(accuracy > 0.7, "imported Keras model accuracy " + accuracy);
    }

    @Test
    @Tag("integration")
    void aChannelsLastKerasCnnScoresAndFineTunes() throws Exception {
        // DL4J's Keras import gives the convolution a Dropout(1.0), which keeps everything and whose backprop fails
        // on channels-last activations: removed at import, so the model trains.
        Network loaded = ModelFiles.load(fixture("fashion-cnn-nhwc.h5"), HADOOP);
        DataSet test = adaptedTest(loaded, 500);
        double before = Scores.of(loaded, test).accuracy();
        assertTrue(before > 0.7, "imported channels-last CNN accuracy " + before);
        Trainer.fit(loaded, test, 1, 50, 3, 1);
        assertTrue(Scores.of(loaded, test).accuracy() > 0.7, "still accurate after fine-tuning");
    }

    @Test
    @Tag("integration")
    void aKerasModelWithSparseCrossEntropyTakesOneHotLabels() throws Exception {
        // Keras's sparse loss takes class indices; evoprune's labels are one-hot, for which MCXENT is the same loss.
        Network sparse = ModelFiles.load(fixture("fashion-mlp-sparse.h5"), HADOOP);
        Network dense = ModelFiles.load(fixture("fashion-mlp.h5"), HADOOP);
        DataSet test = adaptedTest(sparse, 500);
        assertEquals(dense.score(test), sparse.score(test), 1e-6);
        Trainer.fit(sparse, test, 1, 50, 3, 1);
    }

    @Test
    @Tag("integration")
    void aKerasModelSavedBeforeCompileIsRefusedWithTheFix() throws Exception {
        IOException e = assertThrows(IOException.class, () -> ModelFiles.load(fixture("fashion-mlp-uncompiled.h5"), HADOOP));
        assertTrue(e.getMessage().startsWith("Keras model " + fixture("fashion-mlp-uncompiled.h5") + " has no training"
                + " configuration (it was saved before compile())") && e.getMessage().contains("compile it with its loss"),
                e.getMessage());
    }

    private static String fixture(String name) throws Exception {
        return Path.of(ModelFilesTest.class.getResource("/keras/" + name).toURI()).toString();
    }

    /** An IDX folder of classification data, with every other data.* key at its default. */
    private static DataSource shippedIdx(String folder) {
        return new DataSource(DataFormat.IDX, folder, "", false, 0, false, new DataSource.Csv(-1, 1, 0, ','),
                new DataSource.Images(28, 28, 1));
    }

    private static DataSet adaptedTest(Network net, int examples) throws IOException {
        ArrayDataset test = DataLoader.load(shippedIdx(ROOT.resolve("data/fashion-mnist-small").toString()), 1, HADOOP)
                .test().slice(0, examples);
        return ModelInputs.adapt(net.configuration(), test).toDataSet();
    }

    private static MultiLayerNetwork lenet() {
        MultiLayerNetwork net = new MultiLayerNetwork(Architectures.lenet300100(784, 10, 1e-3, 1));
        net.init();
        return net;
    }

    /** Fitted on random LeNet-sized features. */
    private static NormalizerStandardize standardize() {
        NormalizerStandardize standardize = new NormalizerStandardize();
        standardize.fit(new DataSet(Nd4j.rand(DataType.FLOAT, 20, 784), Nd4j.rand(DataType.FLOAT, 20, 10)));
        return standardize;
    }

    @Test
    void aBundledNormaliserIsReadFromDl4jsOwnFilesAndOurs() throws Exception {
        MultiLayerNetwork net = lenet();
        NormalizerStandardize standardize = standardize();

        // DL4J's route: writeModel, then addNormalizerToModel
        File theirs = dir.resolve("theirs.zip").toFile();
        ModelSerializer.writeModel(net, theirs, true);
        ModelSerializer.addNormalizerToModel(theirs, standardize);
        byte[] read = ModelFiles.read(theirs.toString(), "test", HADOOP).normalizer();
        NormalizerStandardize restored = (NormalizerStandardize) Normalization.restore(read);
        assertEquals(standardize.getMean(), restored.getMean());
        assertEquals(standardize.getStd(), restored.getStd());
        ModelFiles.load(theirs.toString(), HADOOP); // and the network loads as before

        // ours: the bytes bundled where DL4J's restoreNormalizerFromFile finds them
        Path ours = dir.resolve("ours.zip");
        Files.write(ours, ModelFiles.zip(Network.of(net), Normalization.bytes(standardize)));
        NormalizerStandardize dl4j = ModelSerializer.restoreNormalizerFromFile(ours.toFile());
        assertEquals(standardize.getMean(), dl4j.getMean());
        assertArrayEquals(Normalization.bytes(standardize), ModelFiles.read(ours.toString(), "test", HADOOP).normalizer());
        assertEquals(net.params(), ModelFiles.load(ours.toString(), HADOOP).params());

        Path none = dir.resolve("none.zip");
        Files.write(none, ModelFiles.zip(Network.of(net), null));
        assertNull(ModelFiles.read(none.toString(), "test", HADOOP).normalizer());

        // a multi-input graph's normaliser cannot transform evoprune's single-input data
        File multi = dir.resolve("multi.zip").toFile();
        ModelSerializer.writeModel(net, multi, true);
        MultiNormalizerStandardize graphs = new MultiNormalizerStandardize();
        graphs.fit(new org.nd4j.linalg.dataset.MultiDataSet(Nd4j.rand(DataType.FLOAT, 5, 3), Nd4j.rand(DataType.FLOAT, 5, 2)));
        ModelSerializer.addNormalizerToModel(multi, graphs);
        IOException e = assertThrows(IOException.class, () -> ModelFiles.read(multi.toString(), "--model", HADOOP));
        assertTrue(e.getMessage().contains("model file " + multi + " (--model)") && e.getMessage().contains("MULTI_STANDARDIZE"),
                e.getMessage());
    }

    @Test
    void aTruncatedBundledNormaliserIsNamedAsSuch() throws Exception {
        // apply and evaluate read a model's normaliser through here: a cut-off one names the model file and says so
        byte[] bytes = Normalization.bytes(standardize());
        Path model = dir.resolve("cut.zip");
        Files.write(model, ModelFiles.zip(Network.of(lenet()), java.util.Arrays.copyOf(bytes, bytes.length / 2)));
        IOException e = assertThrows(IOException.class, () -> ModelFiles.read(model.toString(), "--model", HADOOP));
        assertTrue(e.getMessage().startsWith("The normaliser bundled in model file " + model + " (--model) cannot be"
                + " restored: it ends before its statistics do (truncated); bundle it again"), e.getMessage());
    }

    @Test
    void emptyMissingAndCorruptModelFilesAreNamed() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.zip"));
        IOException e1 = assertThrows(IOException.class, () -> ModelFiles.load(empty.toString(), HADOOP));
        assertTrue(e1.getMessage().contains("empty.zip is empty"), e1.getMessage());

        IOException e2 = assertThrows(IOException.class, () -> ModelFiles.load(dir.resolve("gone.zip").toString(), HADOOP));
        assertTrue(e2.getMessage().contains("gone.zip does not exist"), e2.getMessage());

        Path garbage = Files.writeString(dir.resolve("garbage.zip"), "not a model at all");
        IOException e3 = assertThrows(IOException.class, () -> ModelFiles.load(garbage.toString(), HADOOP));
        assertFalse(e3 instanceof ModelFiles.UnreachableException, "the file was reached: it is the file at fault");
        assertTrue(e3.getMessage().contains("garbage.zip is neither"), e3.getMessage());

        IOException e4 = assertThrows(IOException.class, () -> ModelFiles.load(dir.toString(), HADOOP));
        assertTrue(e4.getMessage().contains("is a folder"), e4.getMessage());

        String nowhere = "hdfs://nohost.invalid:8020/model.zip";
        IOException e6 = assertThrows(ModelFiles.UnreachableException.class, () -> ModelFiles.load(nowhere, HADOOP));
        assertTrue(e6.getMessage().startsWith("Model file " + nowhere + " cannot be reached (key model.path)"),
                e6.getMessage());
        // hadoop-aws is not on the classpath: Hadoop throws a RuntimeException around ClassNotFoundException
        IOException e7 = assertThrows(ModelFiles.UnreachableException.class,
                () -> ModelFiles.load("s3a://bucket/m.zip", HADOOP));
        assertTrue(e7.getMessage().startsWith("Model file s3a://bucket/m.zip cannot be reached (key model.path): no"
                + " Hadoop file system for s3a://") && e7.getMessage().contains("hadoop-aws"), e7.getMessage());

        MultiLayerNetwork net = lenet();
        byte[] whole = ModelFiles.zip(Network.of(net), null);
        // a colon in the name: Hadoop's checksum layer would look for the invalid relative URI ".m:1.zip.crc"
        Path colon = Files.write(dir.resolve("m:1.zip"), whole);
        assertEquals(net.numParams(), ModelFiles.load(colon.toString(), HADOOP).numParams());
        Path cut = Files.write(dir.resolve("cut.zip"), java.util.Arrays.copyOf(whole, 5000));
        IOException e5 = assertThrows(IOException.class, () -> ModelFiles.load(cut.toString(), HADOOP));
        assertTrue(e5.getMessage().startsWith("Model file " + cut + " is not a readable zip: it is truncated or corrupt")
                && e5.getMessage().endsWith("(key model.path)"), e5.getMessage());
    }

    @Test
    void aReadableGraphOfAShapeEvopruneDoesNotTakeIsNotCalledCorrupt() throws IOException {
        ComputationGraph twoInputs = new ComputationGraph(new NeuralNetConfiguration.Builder().graphBuilder()
                .addInputs("a", "b")
                .addVertex("both", new MergeVertex(), "a", "b")
                .addLayer("out", new OutputLayer.Builder().nIn(4).nOut(2).build(), "both")
                .setOutputs("out").build());
        twoInputs.init();
        Path file = dir.resolve("two-inputs.zip");
        ModelSerializer.writeModel(twoInputs, file.toFile(), true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelFiles.load(file.toString(), HADOOP));
        assertTrue(e.getMessage().startsWith("Model file " + file + " (key model.path): The ComputationGraph has 2 "
                + "inputs [a, b]") && !e.getMessage().contains("corrupt"), e.getMessage());
    }

    @Test
    @Tag("integration")
    void truncatedKerasFileIsNamed() throws Exception {
        byte[] whole = Files.readAllBytes(Path.of(ModelFilesTest.class.getResource("/keras/fashion-mlp.h5").toURI()));
        Path cut = Files.write(dir.resolve("cut.h5"), java.util.Arrays.copyOf(whole, 4096));
        IOException e = assertThrows(IOException.class, () -> ModelFiles.load(cut.toString(), HADOOP));
        assertEquals("Keras model " + cut + " is truncated: it holds 4,096 bytes, but its HDF5 header says "
                + String.format(java.util.Locale.ROOT, "%,d", whole.length) + " (key model.path)", e.getMessage());
    }

    @Test
    void lenet5ReadsFlatImagesAndRejectsNonImages() {
        var conf = Architectures.build("lenet-5", new int[] {1, 28, 28}, 10, false, 1e-3, 1);
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        ArrayDataset images = ArrayDataset.classification(new float[2 * 784], new int[] {1, 28, 28}, new int[] {0, 1}, 10);
        ArrayDataset flat = ModelInputs.adapt(conf, images);
        assertEquals(784, flat.featureSize());
        assertEquals(1, flat.featureShape().length);
        assertEquals(2, net.output(flat.toDataSet().getFeatures()).rows());

        ArrayDataset wrong = ArrayDataset.classification(new float[2 * 3 * 28 * 28], new int[] {3, 28, 28}, new int[] {0, 1}, 10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelInputs.adapt(conf, wrong));
        assertTrue(e.getMessage().contains("[3, 28, 28]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Architectures.build("lenet-5", new int[] {10}, 2, false, 1e-3, 1));
    }

    @Test
    void aLayerNamedVerticesLeavesAMultiLayerNetworkOne() throws IOException {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().name("vertices").nIn(4).nOut(3).build())
                .layer(new OutputLayer.Builder().nIn(3).nOut(2).build())
                .build());
        net.init();
        Path file = dir.resolve("named.zip");
        ModelSerializer.writeModel(net, file.toFile(), false);
        assertEquals(NetworkKind.MULTI_LAYER, ModelFiles.load(file.toString(), HADOOP).kind());
    }

    @Test
    void aModelEndingInAPerPositionLossIsRefusedForWhatItIs() {
        var conf = new NeuralNetConfiguration.Builder().list()
                .layer(new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(3, 3).nIn(1).nOut(4).build())
                .layer(new org.deeplearning4j.nn.conf.layers.CnnLossLayer.Builder().build())
                .setInputType(org.deeplearning4j.nn.conf.inputs.InputType.convolutional(8, 8, 1))
                .build();
        String m = assertThrows(IllegalArgumentException.class, () -> ModelInputs.outputs(conf)).getMessage();
        assertTrue(m.startsWith("the model's last layer is CnnLossLayer") && !m.contains("fine-tuned"), m);
    }

    @Test
    void aFrozenFirstLayerReadsImagesAsTheLayerItWraps() {
        for (boolean backprop : new boolean[] {false, true}) {
            DenseLayer dense = new DenseLayer.Builder().nIn(784).nOut(8).build();
            var conf = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder().list()
                    .layer(backprop ? new org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop(dense)
                            : new org.deeplearning4j.nn.conf.layers.misc.FrozenLayer(dense))
                    .layer(new OutputLayer.Builder().nIn(8).nOut(10).build())
                    .build();
            ArrayDataset images = ArrayDataset.classification(new float[2 * 784], new int[] {1, 28, 28}, new int[] {0, 1}, 10);
            assertArrayEquals(new int[] {784}, ModelInputs.adapt(conf, images).featureShape(), "backprop " + backprop);
        }
    }
}
