package io.evoprune.job;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.config.RunConfig;
import io.evoprune.config.Settings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Bad models and data are refused with a message naming the file, key or shape at fault, before any Spark job
 * starts and before a run directory exists (so nothing can look like a finished run).
 */
@Tag("integration")
class InputErrorsTest {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final String KERAS = ROOT.resolve("worker-lib/src/test/resources/keras/fashion-mlp.h5").toString();
    private static final String IDX = ROOT.resolve("data/fashion-mnist-small").toString();

    @TempDir
    Path dir;

    private String refused(String... keyValues) {
        // No master: were a SparkContext ever created, this configuration would fail loudly instead.
        return refused(new SparkConf(false), keyValues);
    }

    private String refused(SparkConf spark, String... keyValues) {
        Map<String, String> set = new LinkedHashMap<>();
        set.put("output.dir", dir.resolve("runs").toString());
        set.put("output.run-name", "refused");
        set.put("data.path", IDX);
        set.put("data.validation.size", "100");
        set.put("data.test.size", "100");
        for (int i = 0; i < keyValues.length; i += 2) {
            set.put(keyValues[i], keyValues[i + 1]);
        }
        RunConfig config = RunConfig.from(Settings.defaults().with(set, "test"));
        BadInputException e = assertThrows(BadInputException.class,
                () -> new PruningJob(config, new PrintStream(new ByteArrayOutputStream())).run(spark));
        assertFalse(Files.exists(dir.resolve("runs/refused")), "a refused run must leave no run directory");
        return e.getMessage();
    }

    @Test
    void theGivenSparkConfigurationsHadoopSettingsReadTheData() {
        // A programmatic caller's spark.hadoop.* (not only system properties) sets where the driver reads from.
        String message = refused(new SparkConf(false).set("spark.hadoop.fs.defaultFS", "nofs:///"));
        assertTrue(message.contains("\"nofs\""), message);
    }

    @Test
    void featureShapeNotMatchingTheModelInput() throws Exception {
        Path train = Files.writeString(dir.resolve("train.csv"), "1,2,3,0\n4,5,6,1\n".repeat(60));
        Path test = Files.writeString(dir.resolve("test.csv"), "1,2,3,0\n");
        String message = refused("model.path", KERAS, "data.format", "csv", "data.path", train.toString(),
                "data.test-path", test.toString(), "data.classes", "10", "data.test.size", "0");
        assertTrue(message.contains("takes 784 inputs but the data has 3 features"), message);
        assertTrue(message.contains("fashion-mlp.h5") && message.contains("train.csv"), message);
    }

    @Test
    void r2OnAConstantValidationTargetIsRefused() throws Exception {
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            rows.append(i).append(',').append(i % 7).append(',').append(i < 50 ? i % 3 : 4).append('\n');
        }
        Path train = Files.writeString(dir.resolve("train.csv"), rows);
        Path test = Files.writeString(dir.resolve("test.csv"), rows);
        String message = refused("data.format", "csv", "data.path", train.toString(), "data.test-path", test.toString(),
                "data.task", "regression", "data.validation.size", "10", "data.test.size", "0");
        assertTrue(message.equals("fitness.metric=r2: regression target 0 is the same in all 10 validation examples of "
                + train + ", so R² (1 - SSE/SST) is undefined; set fitness.metric=mse or mae, or give validation"
                + " examples that vary"), message);
    }

    @Test
    void aStrayLabelInTheTestFileIsNamedWhereTheModelHasFewerOutputs() throws Exception {
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 120; i++) {
            rows.append("1,2,3,").append(i % 10).append('\n');
        }
        Path train = Files.writeString(dir.resolve("train.csv"), rows);
        Path test = Files.writeString(dir.resolve("test.csv"), "1,2,3,0\n".repeat(4) + "1,2,3,12\n1,2,3,1\n");
        String message = refused("model.path", KERAS, "data.format", "csv", "data.path", train.toString(),
                "data.test-path", test.toString(), "data.test.size", "0");
        assertTrue(message.contains(train + " and " + test + " (labels up to 12, the largest at CSV file " + test
                + " line 5) do not fit: the model has 10 outputs but the data has 13 classes"), message);
    }

    @Test
    void aTestFileInsideTheTrainingFolderIsRefused() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("csv"));
        Files.writeString(folder.resolve("train.csv"), "1,2,0\n3,4,1\n".repeat(60));
        Path test = Files.writeString(folder.resolve("test.csv"), "1,2,0\n");
        String message = refused("data.format", "csv", "data.path", folder.toString(), "data.test-path", test.toString());
        assertTrue(message.startsWith("data.test-path '" + test + "' and data.path '" + folder + "' overlap"), message);
    }

    @Test
    void labelCountNotMatchingTheOutputLayer() {
        String message = refused("model.path", KERAS, "data.path", IDX, "data.classes", "12");
        assertTrue(message.contains("has 10 outputs") && message.contains("12 classes"), message);
    }

    @Test
    void aModelThatCannotTrainOnTheDataIsRefusedBeforeTheRun() throws Exception {
        // DL4J's dropout backprop fails on channels-last activations; the forward pass alone would not show it.
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(2).dataFormat(CNN2DFormat.NHWC).dropOut(0.5)
                        .activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(28, 28, 1, CNN2DFormat.NHWC)).build());
        net.init();
        Path model = dir.resolve("nhwc-dropout.zip");
        ModelSerializer.writeModel(net, model.toFile(), false);
        String message = refused("model.path", model.toString(), "mask.granularity", "filter");
        assertTrue(message.contains("nhwc-dropout.zip reads the data at " + IDX + " but fails in a training step"
                + " (examples of shape [4, 28, 28, 1])"), message);
    }

    @Test
    void emptyAndCorruptModelFilesAreNamed() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.zip"));
        String m1 = refused("model.path", empty.toString());
        assertTrue(m1.contains("empty.zip is empty"), m1);
        Path corrupt = Files.writeString(dir.resolve("corrupt.h5"), "\u0089HDF but not really");
        String m2 = refused("model.path", corrupt.toString());
        assertTrue(m2.contains("corrupt.h5"), m2);
    }

    @Test
    void emptyOrCorruptDataFilesAndUnreadablePathsAreNamed() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.csv"));
        Path test = Files.writeString(dir.resolve("test.csv"), "1,0\n");
        String m1 = refused("data.format", "csv", "data.path", empty.toString(), "data.test-path", test.toString());
        assertTrue(m1.contains("empty.csv is empty"), m1);

        Path corrupt = Files.writeString(dir.resolve("corrupt.bin"), "not a DataSet");
        String m2 = refused("data.format", "dataset", "data.path", corrupt.toString(), "data.test-path",
                Files.copy(corrupt, dir.resolve("corrupt-test.bin")).toString());
        assertTrue(m2.contains("corrupt.bin is not a DL4J DataSet file"), m2);

        String m3 = refused("data.path", dir.resolve("no-such-folder").toString());
        assertTrue(m3.contains("no-such-folder does not exist (key data.path)"), m3);
    }

    @Test
    void strayLabelForABuiltInNetworkIsRefusedNamingTheLine() throws Exception {
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            rows.append(i).append(',').append(i % 5).append(',').append(i == 40 ? 1000 : i % 3).append('\n');
        }
        Path train = Files.writeString(dir.resolve("train.csv"), rows);
        Path test = Files.writeString(dir.resolve("test.csv"), "1,2,0\n3,4,1\n");
        String message = refused("data.format", "csv", "data.path", train.toString(), "data.test-path", test.toString(),
                "data.validation.size", "10", "data.test.size", "0");
        assertTrue(message.contains("labels up to 1000 (CSV file " + train + " line 41)")
                && message.contains("0..k-1") && message.contains("data.csv.label-column"), message);
    }

    @Test
    void builtInCnnNeedsImages() throws Exception {
        Path train = Files.writeString(dir.resolve("train.csv"), "1,2,3,0\n4,5,6,1\n".repeat(60));
        Path test = Files.writeString(dir.resolve("test.csv"), "1,2,3,0\n");
        String message = refused("model.architecture", "lenet-5", "data.format", "csv", "data.path", train.toString(),
                "data.test-path", test.toString(), "data.test.size", "0");
        assertTrue(message.contains("lenet-5") && message.contains("[3]"), message);
    }

    @Test
    void searchAndRebuildSettingsThatCannotWorkAreRefusedBeforeTheSearch() {
        String frozen = refused("model.path", KERAS, "rebuild.recovery.frozen-layers", "nosuchlayer");
        assertTrue(frozen.contains("rebuild.recovery.frozen-layers names layer 'nosuchlayer', but the network's layers are"),
                frozen);
        String racing = refused("model.path", KERAS, "finetune.max-batches", "2", "racing.short-batches", "5");
        assertTrue(racing.contains("racing.short-batches (5) must be below the full fine-tune's 2 batches"), racing);
    }

    @Test
    void nsga2NeedsAnAccuracyToTrade() throws Exception {
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 120; i++) {
            rows.append(i % 7).append(',').append(i % 5).append(',').append(i % 3).append(',').append(i * 0.1).append('\n');
        }
        Path train = Files.writeString(dir.resolve("train.csv"), rows);
        Path test = Files.writeString(dir.resolve("test.csv"), rows);
        String message = refused("data.format", "csv", "data.task", "regression", "data.path", train.toString(),
                "data.test-path", test.toString(), "data.test.size", "0", "search.strategy", "nsga2");
        assertTrue(message.contains("search.strategy=nsga2") && message.contains("regression"), message);
    }
}
