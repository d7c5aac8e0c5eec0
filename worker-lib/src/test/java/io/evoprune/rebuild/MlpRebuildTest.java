package io.evoprune.rebuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.mask.Granularity;
import io.evoprune.mask.Mask;
import io.evoprune.mask.MaskApplier;
import io.evoprune.mask.PrunableLayout;
import java.util.Random;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class MlpRebuildTest {

    @Test
    void probe() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(1e-3)).list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(300).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(300).nOut(100).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(100).nOut(10).activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        PrunableLayout layout = PrunableLayout.of(net.getLayerWiseConfigurations(), Granularity.NEURON);
        Random r = new Random(3);
        Mask mask = Mask.of(layout.units(), i -> r.nextDouble() < 0.4);
        MaskApplier.apply(net, layout, mask);
        java.util.Map<Integer, int[]> kept = new java.util.HashMap<>();
        for (PrunableLayout.Segment s : layout.segments()) {
            kept.put(s.layer(), java.util.stream.IntStream.range(0, s.units()).filter(u -> mask.isKept(s.offset() + u)).toArray());
        }
        Rebuilt rebuilt = NetworkRebuilder.rebuild(net, kept);
        INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1000, 784);
        double diff = Equivalence.maxAbsDifference(net, rebuilt.network(), x);
        System.out.println("diff " + diff + " " + rebuilt.layers());
        assertTrue(diff < 1e-5);
        System.out.println(Footprint.measure(net, x, new Footprint.Settings(256, 5, 11)));
        System.out.println(Footprint.measure(rebuilt.network(), x, new Footprint.Settings(256, 5, 11)));
        System.out.println("phys " + org.bytedeco.javacpp.Pointer.physicalBytes() + " total " + org.bytedeco.javacpp.Pointer.totalBytes());
    }
}
