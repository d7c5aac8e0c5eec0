package io.evoprune.rebuild;

import io.evoprune.model.Network;
import io.evoprune.model.Trainer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    public static void fineTune(Network net, DataSet data, RecoverySettings settings, long seed) {
        if (settings.epochs() == 0) {
            return;
        }
        List<String> names = net.layerNames();
        Map<String, INDArray> frozen = new HashMap<>();
        for (String name : settings.frozenLayers()) {
            if (!names.contains(name)) {
                throw new IllegalArgumentException("rebuild.recovery.frozen-layers names layer '" + name
                        + "', but the network's layers are " + names);
            }
            frozen.put(name, net.layer(name).params().dup());
        }
        net.setLearningRate(settings.learningRate());
        for (String name : frozen.keySet()) {
            if (net.model() instanceof MultiLayerNetwork mln) {
                mln.setLearningRate(names.indexOf(name), 0);
            } else {
                ((ComputationGraph) net.model()).setLearningRate(name, 0);
            }
        }
        Trainer.fit(net, data, settings.epochs(), settings.batchSize(), 0, seed);
        frozen.forEach((name, params) -> net.layer(name).params().assign(params));
    }
}
