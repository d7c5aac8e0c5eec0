package io.evoprune.rebuild;

import io.evoprune.model.Trainer;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Recovery fine-tuning: a few epochs of ordinary training of the rebuilt network, which no longer needs a mask
 * held on it. Frozen layers get learning rate 0 (so the updater never moves them) and their parameters are
 * put back afterwards, which also undoes what training does outside the updater (batch-norm running statistics).
 */
public final class Recovery {
    private Recovery() {
    }

    public static void fineTune(Model model, DataSet data, RecoverySettings settings, long seed) {
        if (settings.epochs() == 0) {
            return;
        }
        Map<String, org.deeplearning4j.nn.api.Layer> layers = Networks.layers(model);
        Map<String, INDArray> frozen = new HashMap<>();
        for (String name : settings.frozenLayers()) {
            org.deeplearning4j.nn.api.Layer layer = layers.get(name);
            if (layer == null) {
                throw new IllegalArgumentException("rebuild.recovery.frozen-layers names layer '" + name
                        + "', but the network's layers are " + layers.keySet());
            }
            frozen.put(name, layer.params().dup());
        }
        if (model instanceof MultiLayerNetwork net) {
            net.setLearningRate(settings.learningRate());
            int i = 0;
            for (String name : layers.keySet()) {
                if (frozen.containsKey(name)) {
                    net.setLearningRate(i, 0);
                }
                i++;
            }
            Trainer.fit(net, data, settings.epochs(), settings.batchSize(), 0, seed);
        } else {
            ComputationGraph graph = (ComputationGraph) model;
            graph.setLearningRate(settings.learningRate());
            frozen.keySet().forEach(name -> graph.setLearningRate(name, 0));
            fitGraph(graph, data, settings.epochs(), settings.batchSize(), seed);
        }
        frozen.forEach((name, params) -> layers.get(name).params().assign(params));
    }

    /** The graph counterpart of {@link Trainer#fit}: seeded shuffle, fixed batch size. */
    private static void fitGraph(ComputationGraph graph, DataSet data, int epochs, int batchSize, long seed) {
        int n = data.numExamples();
        Random random = new Random(seed);
        for (int epoch = 0; epoch < epochs; epoch++) {
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int start = 0; start < n; start += batchSize) {
                int[] rows = java.util.Arrays.copyOfRange(order, start, Math.min(n, start + batchSize));
                graph.fit(new DataSet(data.getFeatures().getRows(rows), data.getLabels().getRows(rows)));
            }
        }
    }
}
