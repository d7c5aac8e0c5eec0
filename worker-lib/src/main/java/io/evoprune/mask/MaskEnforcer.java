package io.evoprune.mask;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keeps pruned parameters at exactly zero during training. DL4J has no pruning API; its SGD loop calls
 * listeners after every parameter update, so re-applying the mask here undoes whatever the update (or the
 * updater's momentum) moved. Zero gradients cannot be relied on: with sigmoid or biases they are not zero.
 */
public final class MaskEnforcer extends BaseTrainingListener {
    private final INDArray parameterMask;

    public MaskEnforcer(INDArray parameterMask) {
        this.parameterMask = parameterMask;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        model.params().muli(parameterMask);
    }
}
