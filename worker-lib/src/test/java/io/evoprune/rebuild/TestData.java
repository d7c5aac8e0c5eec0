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
                parts = IdxDataset.load(FOLDER.toString(), new Configuration());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return parts;
    }

    /** The whole test part: 2,000 images as flat rows of 784 pixels, as the test networks read them. */
    static INDArray testFeatures() {
        return test().getFeatures();
    }

    static DataSet train(int from, int to) {
        return flat(parts().train().slice(from, to).toDataSet());
    }

    static DataSet test() {
        return flat(parts().test().toDataSet());
    }

    private static DataSet flat(DataSet images) {
        INDArray x = images.getFeatures();
        return new DataSet(x.reshape('c', x.size(0), x.length() / x.size(0)), images.getLabels());
    }
}
