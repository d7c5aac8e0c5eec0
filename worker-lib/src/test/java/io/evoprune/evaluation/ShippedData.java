package io.evoprune.evaluation;

import io.evoprune.data.ArrayDataset;
import io.evoprune.data.IdxDataset;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;

/**
 * The Fashion-MNIST subset the repository ships (data/fashion-mnist-small), as flat 784-pixel rows: every test
 * network reads flattened images (InputType.convolutionalFlat / feedForward). Tests slice it into fine-tune and
 * validation parts.
 */
final class ShippedData {
    static final Path DIR = Path.of(System.getProperty("user.dir")).getParent().resolve("data/fashion-mnist-small");

    private ShippedData() {
    }

    static ArrayDataset train() throws IOException {
        return IdxDataset.load(DIR.toString(), new Configuration()).train().withFeatureShape(784);
    }
}
