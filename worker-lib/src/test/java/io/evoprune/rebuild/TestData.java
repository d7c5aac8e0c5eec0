package io.evoprune.rebuild;

import io.evoprune.data.IdxDataset;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** The shipped Fashion-MNIST subset (data/fashion-mnist-small), read once per test JVM. */
final class TestData {
    static final Path FOLDER = Path.of(System.getProperty("user.dir")).getParent().resolve("data/fashion-mnist-small");
    private static IdxDataset.Parts parts;

    private TestData() {
    }

    static synchronized IdxDataset.Parts parts() {
        if (parts == null) {
            try {
                // Flat 784-pixel rows: what the MLPs and the convolutionalFlat CNNs of these tests read.
                IdxDataset.Parts images = IdxDataset.load(FOLDER.toString(), new Configuration());
                parts = new IdxDataset.Parts(images.train().withFeatureShape(784), images.test().withFeatureShape(784));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return parts;
    }

    /** The whole test part: 2,000 images of 784 pixels. */
    static INDArray testFeatures() {
        return parts().test().toDataSet().getFeatures();
    }

    static DataSet train(int from, int to) {
        return parts().train().slice(from, to).toDataSet();
    }

    static DataSet test() {
        return parts().test().toDataSet();
    }
}
