package io.evoprune.model;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * Each layer's learning rate, a fixed rate or a schedule, as a network configures it: read before training at other
 * rates (a candidate's fine-tune, recovery with frozen layers) and put back after, so that an exported model trains
 * on as its owner set it up. Bias updaters configured apart are left alone, as DL4J's setLearningRate leaves them.
 */
public final class LearningRates {
    /** By layer name ({@link Network#layerNames()}): a Double or an ISchedule. */
    private final Map<String, Object> rates;

    private LearningRates(Map<String, Object> rates) {
        this.rates = rates;
    }

    public static LearningRates of(Network net) {
        Map<String, Object> rates = new LinkedHashMap<>();
        for (String name : net.layerNames()) {
            IUpdater updater = updater(net, name);
            if (updater != null && updater.hasLearningRate()) {
                ISchedule schedule = schedule(updater);
                rates.put(name, schedule != null ? schedule : (Object) updater.getLearningRate(0, 0));
            }
        }
        return new LearningRates(rates);
    }

    /** Every layer at {@code rate}, but those in {@code stopped} at 0. */
    public LearningRates at(double rate, Collection<String> stopped) {
        Map<String, Object> changed = new LinkedHashMap<>();
        rates.keySet().forEach(name -> changed.put(name, stopped.contains(name) ? 0.0 : rate));
        return new LearningRates(changed);
    }

    /**
     * Gives {@code net} these rates. All but the last are set in the configuration, and DL4J's setLearningRate on
     * the last then regroups the updater state once: layer by layer would pass through groupings of their own, and
     * DL4J's regrouping fails on some of them (a stateless updater such as Sgd beside Adam).
     */
    public void applyTo(Network net) {
        String last = null;
        for (Map.Entry<String, Object> e : rates.entrySet()) {
            if (e.getValue() instanceof ISchedule s) {
                updater(net, e.getKey()).setLrAndSchedule(Double.NaN, s);
            } else {
                updater(net, e.getKey()).setLrAndSchedule((Double) e.getValue(), null);
            }
            last = e.getKey();
        }
        if (last == null) {
            return;
        }
        try {
            regroup(net, last, rates.get(last));
        } catch (NullPointerException e) {
            // DL4J's regrouping (NetworkUtils.rebuildUpdaterStateArray) fails when a layer's updater keeps no state,
            // as Sgd beside Adam. By then the rates are set and the network has a new updater whose state starts
            // at zero: training goes on from there, and such a model's export keeps no Adam moments.
        }
    }

    /** DL4J's setLearningRate on one layer, which also regroups the updater state for every layer's rate. */
    private static void regroup(Network net, String last, Object rate) {
        if (net.model() instanceof MultiLayerNetwork mln) {
            int index = net.layer(last).getIndex();
            if (rate instanceof ISchedule s) {
                mln.setLearningRate(index, s);
            } else {
                mln.setLearningRate(index, (Double) rate);
            }
        } else if (rate instanceof ISchedule s) {
            ((ComputationGraph) net.model()).setLearningRate(last, s);
        } else {
            ((ComputationGraph) net.model()).setLearningRate(last, (Double) rate);
        }
    }

    private static IUpdater updater(Network net, String layer) {
        return net.layer(layer).conf().getLayer() instanceof BaseLayer base ? base.getIUpdater() : null;
    }

    /** The updater's schedule, or null for a fixed rate. IUpdater has no getter; DL4J's updaters with a rate do. */
    private static ISchedule schedule(IUpdater updater) {
        try {
            return (ISchedule) updater.getClass().getMethod("getLearningRateSchedule").invoke(updater);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }
}
