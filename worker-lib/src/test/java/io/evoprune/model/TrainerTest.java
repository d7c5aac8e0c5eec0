package io.evoprune.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The trainer's batch gather picks exactly the rows INDArray.getRows picks, for flat rows and for images; and its
 * seed fixes dropout too.
 */
class TrainerTest {
    private static final int[] ROWS = {4, 0, 7, 7, 2};

    @Test
    void gathersFlatRows() {
        INDArray data = Nd4j.rand(DataType.FLOAT, 9, 6);
        INDArray picked = Trainer.rows(data, ROWS);
        assertEquals(data.getRows(ROWS), picked);
        assertArrayEquals(new long[] {5, 6}, picked.shape());
    }

    @Test
    void gathersImagesOfAnyRank() {
        INDArray images = Nd4j.rand(DataType.FLOAT, 9, 2, 3, 4);
        INDArray picked = Trainer.rows(images, ROWS);
        assertArrayEquals(new long[] {5, 2, 3, 4}, picked.shape());
        for (int i = 0; i < ROWS.length; i++) {
            assertEquals(images.slice(ROWS[i]), picked.slice(i), "example " + i);
        }
    }

    @Test
    void dropoutFollowsTheSeedNotWhatRanBeforeOnTheThread() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).updater(new Sgd(0.1)).list()
                .layer(new DenseLayer.Builder().nOut(16).activation(Activation.RELU).dropOut(0.5).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(5)).build();
        INDArray x = Nd4j.rand(DataType.FLOAT, 40, 5);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 40, 3);
        for (int i = 0; i < 40; i++) {
            y.putScalar(i, i % 3, 1);
        }
        DataSet data = new DataSet(x, y);
        Network a = Network.init(conf);
        INDArray start = a.params().dup();
        Trainer.fit(a, data, 2, 8, 0, 42);
        Nd4j.rand(DataType.FLOAT, 100); // an unrelated draw from the thread's generator
        Network b = Network.create(conf, start);
        Trainer.fit(b, data, 2, 8, 0, 42);
        assertEquals(a.params(), b.params());
        Network c = Network.create(conf, start);
        Trainer.fit(c, data, 2, 8, 0, 43);
        assertNotEquals(a.params(), c.params(), "another seed drops other units (and shuffles otherwise)");
    }
}
