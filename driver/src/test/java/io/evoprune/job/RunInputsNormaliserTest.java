package io.evoprune.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.config.RunConfig;
import io.evoprune.config.Settings;
import io.evoprune.data.Normalization;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;

/**
 * The normaliser a run fits is fitted on the training part (pretraining, which holds the fine-tune examples) only:
 * fitted on the validation part, the scores the search selects by would have seen their own statistics (a leak).
 * Tiny IDX files, so this needs neither the shipped data nor Spark.
 */
class RunInputsNormaliserTest {
    @TempDir
    Path dir;

    private void writeIdx(String name, int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x0800 | dims.length);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(data);
        Files.write(dir.resolve(name), bytes.toByteArray());
    }

    private void writeSet(String prefix, int n, Random random) throws IOException {
        byte[] pixels = new byte[n * 4];
        random.nextBytes(pixels);
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 10);
        }
        writeIdx(prefix + "-images-idx3-ubyte", new int[] {n, 2, 2}, pixels);
        writeIdx(prefix + "-labels-idx1-ubyte", new int[] {n}, labels);
    }

    @Test
    void theStandardiserIsFittedOnTheTrainingPartNotOnValidation() throws Exception {
        Random random = new Random(3);
        writeSet("train", 60, random);
        writeSet("t10k", 20, random);
        RunConfig config = RunConfig.from(Settings.defaults().with(Map.of("data.path", dir.toString(),
                "data.finetune.size", "20", "data.validation.size", "20", "data.test.size", "10",
                "data.normalize", "standardize", "output.dir", dir.resolve("out").toString()), "test"));
        RunInputs inputs = RunInputs.read(config, new PrintStream(new ByteArrayOutputStream()), null,
                new Configuration());
        NormalizerStandardize fitted = (NormalizerStandardize) Normalization.restore(inputs.normalizer());
        byte[] onTraining = Normalization.fit(Normalization.Kind.STANDARDIZE, inputs.splits().pretrain().toDataSet());
        byte[] onValidation = Normalization.fit(Normalization.Kind.STANDARDIZE,
                inputs.splits().validation().toDataSet());
        assertFalse(Normalization.alike(onTraining, onValidation), "the fixture's parts must differ in statistics");
        assertTrue(Normalization.alike(onTraining, inputs.normalizer()), "fitted on the pretraining part");
        NormalizerStandardize expected = (NormalizerStandardize) Normalization.restore(onTraining);
        assertArrayEquals(expected.getMean().toFloatVector(), fitted.getMean().toFloatVector(), 1e-6f);
        assertArrayEquals(expected.getStd().toFloatVector(), fitted.getStd().toFloatVector(), 1e-6f);
    }
}
