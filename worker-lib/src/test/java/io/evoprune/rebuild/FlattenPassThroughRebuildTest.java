package io.evoprune.rebuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.mask.Granularity;
import io.evoprune.mask.Mask;
import io.evoprune.mask.MaskApplier;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.model.Network;
import java.util.Set;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * conv -> pool -> [dropout | activation | batch norm] -> dense, with the flatten on the pass-through layer (where
 * DL4J's Keras import puts it for Flatten -> Dropout -> Dense): a pruned filter's flattened features must be
 * followed through that layer to the dense layer that reads them, in the masked and in the rebuilt network.
 */
class FlattenPassThroughRebuildTest {
    /** 8x8 -> conv 3x3 -> 6x6 -> pool 2x2 -> 3x3: each filter is 9 flattened features. */
    private static final int FILTERS = 4;
    private static final int SPATIAL = 9;
    private static final Set<Integer> KEPT = Set.of(0, 2);

    private static Layer passLayer(String kind) {
        return switch (kind) {
            case "dropout" -> new DropoutLayer.Builder(0.5).name("drop").build();
            case "activation" -> new ActivationLayer.Builder().name("drop").activation(Activation.TANH).build();
            case "batchnorm" -> new BatchNormalization.Builder().name("drop").build();
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static NeuralNetConfiguration.Builder base() {
        return new NeuralNetConfiguration.Builder().seed(7).updater(new Adam(1e-3));
    }

    private static Object multiLayer(String kind, CNN2DFormat format) {
        return base().list()
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv1").nOut(FILTERS).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name("pool").kernelSize(2, 2)
                        .stride(2, 2).build())
                .layer(passLayer(kind))
                .layer(new DenseLayer.Builder().name("fc").nOut(5).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(3)
                        .activation(Activation.SOFTMAX).build())
                // The flatten on the pass-through layer, as Keras import writes it: setInputType alone would put
                // it on the dense layer.
                .inputPreProcessor(2, new CnnToFeedForwardPreProcessor(3, 3, FILTERS, format))
                .setInputType(InputType.convolutional(8, 8, 1, format))
                .build();
    }

    private static Object graph(String kind, CNN2DFormat format) {
        return base().graphBuilder().addInputs("in")
                .addLayer("conv1", new ConvolutionLayer.Builder(3, 3).nOut(FILTERS).activation(Activation.RELU).build(), "in")
                .addLayer("pool", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
                        .stride(2, 2).build(), "conv1")
                .addLayer("drop", passLayer(kind), new CnnToFeedForwardPreProcessor(3, 3, FILTERS, format), "pool")
                .addLayer("fc", new DenseLayer.Builder().nOut(5).activation(Activation.RELU).build(), "drop")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "fc")
                .setOutputs("out")
                .setInputTypes(InputType.convolutional(8, 8, 1, format))
                .build();
    }

    private static Object flattenOnDrop(Object conf) {
        return conf instanceof MultiLayerConfiguration m ? m.getInputPreProcess(2)
                : ((LayerVertex) ((ComputationGraphConfiguration) conf).getVertices().get("drop")).getPreProcessor();
    }

    @Test
    void aSoftmaxBehindTheFlattenIsStillRefusedByName() {
        var softmax = new ActivationLayer.Builder().name("drop").activation(Activation.SOFTMAX).build();
        var conf = base().list()
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv1").nOut(FILTERS).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name("pool").kernelSize(2, 2)
                        .stride(2, 2).build())
                .layer(softmax)
                .layer(new DenseLayer.Builder().name("fc").nOut(5).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .inputPreProcessor(2, new CnnToFeedForwardPreProcessor(3, 3, FILTERS))
                .setInputType(InputType.convolutional(8, 8, 1))
                .build();
        var e = assertThrows(IllegalArgumentException.class, () -> PrunableLayout.of(conf, Granularity.FILTER));
        assertTrue(e.getMessage().startsWith("Layer 'drop' (ActivationLayer) applies a softmax across the units of"
                + " layer 'conv1'"), e.getMessage());
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
            "multilayer, dropout, NCHW", "multilayer, activation, NCHW", "multilayer, batchnorm, NCHW",
            "multilayer, dropout, NHWC", "multilayer, batchnorm, NHWC",
            "graph, dropout, NCHW", "graph, batchnorm, NCHW", "graph, activation, NHWC"})
    void prunedFiltersAreRemovedBehindAFlattenOnAPassThroughLayer(String model, String kind, CNN2DFormat format) {
        Object conf = model.equals("graph") ? graph(kind, format) : multiLayer(kind, format);
        assertInstanceOf(CnnToFeedForwardPreProcessor.class, flattenOnDrop(conf), "the flatten sits on the pass-through layer");
        Network masked = ConvRebuildTest.randomised(conf);
        PrunableLayout layout = PrunableLayout.of(masked.configuration(), Granularity.FILTER);
        PrunableLayout.Segment conv = layout.segment("conv1");
        assertEquals(FILTERS, layout.units());
        PrunableLayout.Input fc = conv.consumers().get(0);
        assertEquals(new PrunableLayout.Input("fc", PrunableLayout.InputKind.DENSE_ROWS, 0, FILTERS, SPATIAL,
                format == CNN2DFormat.NHWC), fc);

        Mask mask = Mask.of(FILTERS, KEPT::contains);
        MaskApplier.apply(masked, layout, mask);
        Rebuilt rebuilt = MaskRebuild.rebuild(masked, layout, mask);

        INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT,
                format == CNN2DFormat.NHWC ? new long[] {64, 8, 8, 1} : new long[] {64, 1, 8, 8});
        Equivalence.Difference diff = Equivalence.of(masked, rebuilt.network(), x);
        assertTrue(diff.holds(), diff.toString());
        Network net = rebuilt.network();
        assertEquals(KEPT.size(), net.param("conv1", "W").size(0));
        long pruned = FILTERS - KEPT.size();
        assertEquals(FILTERS * SPATIAL, masked.param("fc", "W").size(0));
        assertEquals(FILTERS * SPATIAL - pruned * SPATIAL, net.param("fc", "W").size(0),
                "fc's nIn shrinks by the pruned filters x their 3x3 positions");
        if (kind.equals("batchnorm")) {
            assertEquals(java.util.List.of(new PrunableLayout.Follower("drop", 0, FILTERS, SPATIAL,
                    format == CNN2DFormat.NHWC)), conv.followers());
            // One batch-norm feature per flattened feature: a pruned filter takes its 9 features with it.
            assertEquals(KEPT.size() * SPATIAL, net.param("drop", "gamma").length());
            INDArray gamma = masked.param("drop", "gamma");
            for (int f = 0; f < FILTERS * SPATIAL; f++) {
                int filter = format == CNN2DFormat.NHWC ? f % FILTERS : f / SPATIAL;
                assertEquals(KEPT.contains(filter), gamma.getDouble(f) != 0, "masked gamma of feature " + f);
            }
        }
    }
}
