package io.evoprune.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
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
     * Gives {@code net} these rates and keeps its updater state (Adam's moments, say). DL4J groups parameters whose
     * updater configurations are equal into blocks, so a rate change can merge or split blocks and reorder the state.
     * DL4J's own regrouping (setLearningRate) fails when a stateless updater, as Sgd, sits beside Adam; this one
     * moves each parameter's state from the old blocks to the new.
     */
    public void applyTo(Network net) {
        Map<String, List<INDArray>> state = statePerParameter(net);
        for (Map.Entry<String, Object> e : rates.entrySet()) {
            if (e.getValue() instanceof ISchedule s) {
                updater(net, e.getKey()).setLrAndSchedule(Double.NaN, s);
            } else {
                updater(net, e.getKey()).setLrAndSchedule((Double) e.getValue(), null);
            }
        }
        if (state != null) {
            restore(state, newUpdater(net));
        }
    }

    /** Each parameter's updater state, one copy per state variable (Adam: m, v); null before the first fit. */
    private static Map<String, List<INDArray>> statePerParameter(Network net) {
        BaseMultiLayerUpdater<?> updater = net.model() instanceof MultiLayerNetwork mln
                ? (BaseMultiLayerUpdater<?>) mln.getUpdater(false)
                : ((ComputationGraph) net.model()).getUpdater(false);
        if (updater == null || updater.getStateViewArray() == null) {
            return null;
        }
        Map<String, List<INDArray>> state = new HashMap<>();
        forEachSlice(updater, (parameter, variable, view) ->
                state.computeIfAbsent(parameter, k -> new ArrayList<>()).add(view.dup()));
        return state;
    }

    /** Puts each parameter's state where the new blocks keep it. */
    private static void restore(Map<String, List<INDArray>> state, BaseMultiLayerUpdater<?> updater) {
        forEachSlice(updater, (parameter, variable, view) -> view.assign(state.get(parameter).get(variable)));
    }

    private interface SliceVisitor {
        void visit(String parameter, int variable, INDArray view);
    }

    /**
     * Each parameter's state, as views of the updater's state, variable by variable: a block keeps
     * [m of its parameters in order, then v of them, ...].
     */
    private static void forEachSlice(BaseMultiLayerUpdater<?> updater, SliceVisitor visitor) {
        INDArray all = updater.getStateViewArray();
        for (UpdaterBlock block : updater.getUpdaterBlocks()) {
            long offset = block.getUpdaterViewOffsetStart();
            for (int v = 0; v < variables(block); v++) {
                for (UpdaterBlock.ParamState p : block.getLayersAndVariablesInBlock()) {
                    long n = p.getParamView().length();
                    visitor.visit(key(p), v, slice(all, offset, n));
                    offset += n;
                }
            }
        }
    }

    /** A new updater, grouped by the configurations as they are now, as DL4J's setLearningRate builds one. */
    private static BaseMultiLayerUpdater<?> newUpdater(Network net) {
        if (net.model() instanceof MultiLayerNetwork mln) {
            mln.setUpdater(null);
            return (BaseMultiLayerUpdater<?>) mln.getUpdater();
        }
        ComputationGraph graph = (ComputationGraph) net.model();
        graph.setUpdater(null);
        return graph.getUpdater();
    }

    /** A view of {@code n} values from {@code offset} in the updater's flat state (a vector, or one row). */
    private static INDArray slice(INDArray state, long offset, long n) {
        INDArrayIndex range = NDArrayIndex.interval(offset, offset + n);
        return state.rank() == 1 ? state.get(range) : state.get(NDArrayIndex.point(0), range);
    }

    /** State variables per parameter: 0 for Sgd, 1 for Nesterovs, 2 for Adam. */
    private static int variables(UpdaterBlock block) {
        return (block.getUpdaterViewOffsetEnd() - block.getUpdaterViewOffsetStart())
                / (block.getParamOffsetEnd() - block.getParamOffsetStart());
    }

    private static String key(UpdaterBlock.ParamState p) {
        int id = p.getLayer() instanceof GraphVertex v ? v.getVertexIndex()
                : ((org.deeplearning4j.nn.api.Layer) p.getLayer()).getIndex();
        return id + "_" + p.getParamName();
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
