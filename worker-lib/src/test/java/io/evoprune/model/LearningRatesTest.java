package io.evoprune.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.rebuild.Recovery;
import io.evoprune.rebuild.RecoverySettings;
import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

/** Training at other rates (fine-tune, recovery) leaves a model's own learning rates in place for its export. */
class LearningRatesTest {
    private static final ISchedule STEP = new StepSchedule(ScheduleType.ITERATION, 0.02, 0.5, 100);

    private static MultiLayerNetwork net() {
        return net(new Adam(STEP));
    }

    private static MultiLayerNetwork net(Adam fc2Updater) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3).list()
                .layer(new DenseLayer.Builder().name("fc1").nIn(6).nOut(5).activation(Activation.RELU)
                        .updater(new Adam(0.003)).build())
                .layer(new DropoutLayer.Builder(0.9).name("drop").build())
                .layer(new DenseLayer.Builder().name("fc2").nIn(5).nOut(4).activation(Activation.RELU)
                        .updater(fc2Updater).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nIn(4).nOut(3)
                        .activation(Activation.SOFTMAX).updater(new Sgd(0.1)).build())
                .build());
        net.init();
        return net;
    }

    private static DataSet data() {
        return new DataSet(Nd4j.rand(DataType.FLOAT, 32, 6), Nd4j.eye(3).repeat(0, 11).getRows(
                java.util.stream.IntStream.range(0, 32).toArray()).castTo(DataType.FLOAT));
    }

    @Test
    void recoveryPutsBackEveryLayersRateAndSchedule() {
        MultiLayerNetwork mln = net();
        mln.fit(data()); // an updater state to regroup: Adam's beside Sgd's none
        Recovery.fineTune(Network.of(mln), data(), new RecoverySettings(2, 0.5, 8, List.of("fc1")), 1);
        assertEquals(0.003, mln.getLearningRate(0), 1e-12, "frozen fc1 had lr 0 during recovery");
        assertEquals(0.1, mln.getLearningRate(3), 1e-12);
        BaseLayer fc2 = (BaseLayer) mln.getLayerWiseConfigurations().getConf(2).getLayer();
        assertEquals(STEP, ((Adam) fc2.getIUpdater()).getLearningRateSchedule(), "fc2's schedule");
        mln.fit(data()); // the regrouped updater state still fits the network
    }

    @Test
    void ratesThatRegroupAdamBesideSgdStillApply() {
        // One rate everywhere merges fc1's and fc2's Adam blocks beside the stateless Sgd: DL4J's regrouping
        // throws there, and the rates must hold all the same, going and coming back.
        MultiLayerNetwork mln = net();
        mln.fit(data());
        Network net = Network.of(mln);
        LearningRates own = LearningRates.of(net);
        own.at(0.5, List.of()).applyTo(net);
        assertEquals(0.5, mln.getLearningRate(0), 1e-12);
        assertEquals(0.5, mln.getLearningRate(3), 1e-12);
        mln.fit(data());
        own.applyTo(net);
        assertEquals(0.003, mln.getLearningRate(0), 1e-12);
        assertEquals(0.1, mln.getLearningRate(3), 1e-12);
        mln.fit(data());
    }

    @Test
    void adamsMomentsSurviveBlocksThatMerge() {
        MultiLayerNetwork mln = net();
        mln.fit(data());
        assertStateKeptThrough(Network.of(mln), List.of());
    }

    @Test
    void adamsMomentsSurviveBlocksThatSplit() {
        // fc1 and fc2 share one Adam block; stopping fc1 (recovery's frozen layers) splits it.
        MultiLayerNetwork mln = net(new Adam(0.003));
        mln.fit(data());
        assertStateKeptThrough(Network.of(mln), List.of("fc1"));
    }

    @Test
    void aGraphsMomentsSurviveToo() {
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(3).graphBuilder()
                .addInputs("in")
                .addLayer("fc1", new DenseLayer.Builder().nIn(6).nOut(5).activation(Activation.RELU)
                        .updater(new Adam(0.003)).build(), "in")
                .addLayer("fc2", new DenseLayer.Builder().nIn(5).nOut(4).activation(Activation.RELU)
                        .updater(new Adam(STEP)).build(), "fc1")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4).nOut(3)
                        .activation(Activation.SOFTMAX).updater(new Sgd(0.1)).build(), "fc2")
                .setOutputs("out").build());
        graph.init();
        graph.fit(data());
        assertStateKeptThrough(Network.of(graph), List.of());
    }

    /** Other rates regroup the moments (same values, other order); the owner's rates give back the very same. */
    private static void assertStateKeptThrough(Network net, List<String> stopped) {
        INDArray before = state(net).dup();
        assertTrue(before.amaxNumber().doubleValue() > 0, "a fit leaves Adam moments");
        LearningRates own = LearningRates.of(net);
        own.at(0.5, stopped).applyTo(net);
        assertNotEquals(before, state(net), "the blocks were regrouped");
        assertEquals(before.sumNumber().doubleValue(), state(net).sumNumber().doubleValue(), 1e-6);
        own.applyTo(net);
        assertEquals(before, state(net));
        if (net.model() instanceof MultiLayerNetwork mln) {
            mln.fit(data()); // the regrouped state fits the network
        } else {
            ((ComputationGraph) net.model()).fit(data());
        }
    }

    private static INDArray state(Network net) {
        return net.model() instanceof MultiLayerNetwork mln ? mln.getUpdater().getStateViewArray()
                : ((ComputationGraph) net.model()).getUpdater().getStateViewArray();
    }

    @Test
    void networksFromOneConfigurationKeepTheirRatesApart() {
        // DL4J's clone shares updater configurations; concurrent evaluations would change each other's rates.
        MultiLayerNetwork source = net();
        Network a = Network.create(source.getLayerWiseConfigurations(), source.params());
        Network b = Network.create(source.getLayerWiseConfigurations(), source.params());
        a.setLearningRate(0.5);
        assertEquals(0.003, ((MultiLayerNetwork) b.model()).getLearningRate(0), 1e-12);
        assertEquals(0.003, source.getLearningRate(0), 1e-12, "nor the configuration they came from");
        // A dropout keeps its mask from the forward to the backward pass; DL4J's clone shares it on weightless layers.
        org.junit.jupiter.api.Assertions.assertNotSame(a.layer("drop").conf().getLayer().getIDropout(),
                b.layer("drop").conf().getLayer().getIDropout());
    }

    @Test
    void aFrozenLayerWithoutParametersIsRefusedByName() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Recovery.checkFrozen(Network.of(net()), List.of("drop")));
        assertTrue(e.getMessage().equals("rebuild.recovery.frozen-layers names layer 'drop', which has no parameters"
                + " to freeze"), e.getMessage());
    }
}
