package io.evoprune.pruning;

import io.evoprune.evaluation.FineTuneSettings;
import io.evoprune.mask.Mask;
import io.evoprune.mask.MaskApplier;
import io.evoprune.mask.MaskEnforcer;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.mask.Seeds;
import io.evoprune.model.Trainer;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import io.evoprune.model.Network;
import org.nd4j.linalg.learning.regularization.L1Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Gradual pruning during training (Zhu and Gupta 2017, at unit level) with an L1 sparsity penalty on the
 * weights: training runs the whole fine-tune budget; during its first {@link #PRUNING_SHARE} the kept
 * fraction follows the cubic schedule keep(t) = target + (1 - target)(1 - t)^3, pruning the smallest-magnitude
 * units at {@link #EVENTS} evenly spaced points; the rest of the budget recovers with the final mask held.
 */
public final class GradualPruning {
    static final int EVENTS = 8;
    static final double PRUNING_SHARE = 0.75;

    private GradualPruning() {
    }

    public static Pruned run(Network base, PrunableLayout layout, DataSet fineTune, FineTuneSettings settings,
                             double keep, double l1, long seed) {
        io.evoprune.importance.Importance.requireUnits(layout, "Gradual pruning");
        Object conf = withL1(base.configuration(), l1);
        Network net = Network.create(conf, base.params());
        if (settings.learningRate() > 0) {
            net.setLearningRate(settings.learningRate());
        }
        int budget = Budget.batches(settings, fineTune.numExamples());
        int pruningBatches = (int) Math.round(budget * PRUNING_SHARE);
        Mask mask = Mask.allKept(layout.units());
        int spent = 0;
        for (int event = 1; event <= EVENTS + 1; event++) {
            int until = event <= EVENTS ? pruningBatches * event / EVENTS : budget;
            int batches = until - spent;
            if (batches > 0) {
                var parameterMask = MaskApplier.apply(net, layout, mask);
                net.setListeners(new MaskEnforcer(parameterMask));
                Trainer.fit(net, fineTune, Budget.epochsFor(batches, fineTune.numExamples(), settings.batchSize()),
                        settings.batchSize(), batches, Seeds.derive(seed, event, 0));
                net.setListeners();
                spent = until;
            }
            if (event <= EVENTS) {
                double t = event / (double) EVENTS;
                mask = IterativePruning.pruneMore(net, layout, mask, keep + (1 - keep) * Math.pow(1 - t, 3));
            }
        }
        MaskApplier.apply(net, layout, mask);
        return new Pruned(mask, net);
    }

    /** A copy of {@code configuration} with an L1 penalty of {@code l1} added on every weighted layer (0 = as it is). */
    static Object withL1(Object configuration, double l1) {
        List<BaseLayer> layers = new java.util.ArrayList<>();
        Object copy;
        if (configuration instanceof MultiLayerConfiguration mlc) {
            MultiLayerConfiguration c = mlc.clone();
            c.getConfs().forEach(n -> addWeighted(layers, n.getLayer()));
            copy = c;
        } else {
            ComputationGraphConfiguration c = ((ComputationGraphConfiguration) configuration).clone();
            c.getVertices().values().forEach(v -> {
                if (v instanceof LayerVertex lv) {
                    addWeighted(layers, lv.getLayerConf().getLayer());
                }
            });
            copy = c;
        }
        if (l1 > 0) {
            // Added to the layer's own regularisation (L2, weight decay), replacing only an L1 term it had.
            layers.forEach(layer -> {
                List<Regularization> terms = new java.util.ArrayList<>();
                if (layer.getRegularization() != null) {
                    layer.getRegularization().stream().filter(r -> !(r instanceof L1Regularization)).forEach(terms::add);
                }
                terms.add(new L1Regularization(l1));
                layer.setRegularization(terms);
            });
        }
        return copy;
    }

    private static void addWeighted(List<BaseLayer> layers, org.deeplearning4j.nn.conf.layers.Layer layer) {
        if (layer instanceof BaseLayer b) {
            layers.add(b);
        }
    }
}
