package io.evoprune.rebuild;

import io.evoprune.evaluation.Checks;
import java.io.Serializable;
import java.util.List;

/**
 * Recovery fine-tuning of a rebuilt network, starting from the surviving weights.
 *
 * @param epochs       passes over the fine-tuning data; 0 = no recovery
 * @param learningRate learning rate of the network's own updater during recovery
 * @param batchSize    examples per update
 * @param frozenLayers names of layers whose parameters recovery leaves exactly as rebuilt
 */
public record RecoverySettings(int epochs, double learningRate, int batchSize, List<String> frozenLayers)
        implements Serializable {
    public RecoverySettings {
        Checks.atLeast("rebuild.recovery.epochs", epochs, 0);
        Checks.openClosed("rebuild.recovery.learning-rate", learningRate, 0, 10);
        Checks.atLeast("rebuild.recovery.batch-size", batchSize, 1);
        frozenLayers = List.copyOf(frozenLayers);
    }
}
