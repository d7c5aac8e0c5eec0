package io.evoprune.rebuild;

import io.evoprune.model.LearningRates;
import io.evoprune.model.Network;
import io.evoprune.model.Trainer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Recovery fine-tuning: a few epochs of ordinary training of the rebuilt network, which no longer needs a mask
 * held on it. Frozen layers get learning rate 0 (so the updater never moves them) and their parameters are
 * put back afterwards, which also undoes what training does outside the updater (batch-norm running statistics);
 * so are every layer's learning rates.
 */
public final class Recovery {
    private Recovery() {
    }

    /** Refuses frozen layers {@code net} does not have, or that have no parameters to hold still. */
    public static void checkFrozen(Network net, List<String> frozenLayers) {
        List<String> names = net.layerNames();
        for (String name : frozenLayers) {
            if (!names.contains(name)) {
                throw new IllegalArgumentException("rebuild.recovery.frozen-layers names layer '" + name
                        + "', but the network's layers are " + names);
            }
            if (net.layer(name).numParams() == 0) {
                throw new IllegalArgumentException("rebuild.recovery.frozen-layers names layer '" + name
                        + "', which has no parameters to freeze");
            }
        }
    }

    /** Fine-tunes {@code net}; its learning rates are put back afterwards, so an exported model keeps its own. */
    public static void fineTune(Network net, DataSet data, RecoverySettings settings, long seed) {
        if (settings.epochs() == 0) {
            return;
        }
        checkFrozen(net, settings.frozenLayers());
        Map<String, INDArray> frozen = new HashMap<>();
        for (String name : settings.frozenLayers()) {
            frozen.put(name, net.layer(name).params().dup());
        }
        LearningRates own = LearningRates.of(net);
        own.at(settings.learningRate(), frozen.keySet()).applyTo(net);
        Trainer.fit(net, data, settings.epochs(), settings.batchSize(), 0, seed);
        frozen.forEach((name, params) -> net.layer(name).params().assign(params));
        own.applyTo(net);
    }
}
