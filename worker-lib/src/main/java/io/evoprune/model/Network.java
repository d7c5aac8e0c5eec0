package io.evoprune.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationRReLU;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A DL4J network of either kind behind one interface, so that masking, training and scoring have a single
 * code path. Wraps (never copies) a {@link MultiLayerNetwork} or a single-input, single-output
 * {@link ComputationGraph}.
 */
public final class Network {
    private final Model model;
    private final NetworkKind kind;

    private Network(Model model, NetworkKind kind) {
        this.model = model;
        this.kind = kind;
    }

    public static Network of(Model model) {
        if (model instanceof MultiLayerNetwork) {
            return new Network(model, NetworkKind.MULTI_LAYER);
        }
        if (model instanceof ComputationGraph graph) {
            checkSingleInputOutput(graph.getConfiguration());
            return new Network(model, NetworkKind.GRAPH);
        }
        throw new IllegalArgumentException("Unsupported DL4J model class " + model.getClass().getName()
                + "; evoprune prunes MultiLayerNetwork and ComputationGraph");
    }

    /** A network over a copy of {@code parameters}; the configuration object is cloned, never shared. */
    public static Network create(Object configuration, INDArray parameters) {
        if (configuration instanceof MultiLayerConfiguration conf) {
            MultiLayerConfiguration own = conf.clone();
            own.getConfs().forEach(Network::ownStatefulParts);
            MultiLayerNetwork net = new MultiLayerNetwork(own);
            net.init(parameters.castTo(conf.getDataType()).dup(), false);
            return new Network(net, NetworkKind.MULTI_LAYER);
        }
        if (configuration instanceof ComputationGraphConfiguration conf) {
            checkSingleInputOutput(conf);
            ComputationGraphConfiguration own = conf.clone();
            own.getVertices().values().stream().filter(v -> v instanceof LayerVertex)
                    .forEach(v -> ownStatefulParts(((LayerVertex) v).getLayerConf()));
            ComputationGraph graph = new ComputationGraph(own);
            graph.init(parameters.castTo(conf.getDataType()).dup(), false);
            return new Network(graph, NetworkKind.GRAPH);
        }
        throw new IllegalArgumentException("Not a DL4J network configuration: " + configuration);
    }

    /**
     * DL4J's configuration clone shares each layer's updater configuration, which setLearningRate changes in place,
     * and, for layers without weights, its dropout, which keeps its mask between the forward and backward pass, as
     * the RReLU activation keeps its random slopes: networks built from one configuration (concurrent evaluations
     * on an executor) must not share them.
     */
    private static void ownStatefulParts(NeuralNetConfiguration conf) {
        if (conf.getLayer() != null && conf.getLayer().getIDropout() != null) {
            conf.getLayer().setIDropout(conf.getLayer().getIDropout().clone());
        }
        if (conf.getLayer() instanceof ActivationLayer layer) {
            layer.setActivationFn(own(layer.getActivationFn()));
        }
        if (conf.getLayer() instanceof BaseLayer layer) {
            layer.setActivationFn(own(layer.getActivationFn()));
            if (layer.getIUpdater() != null) {
                layer.setIUpdater(layer.getIUpdater().clone());
            }
            if (layer.getBiasUpdater() != null) {
                layer.setBiasUpdater(layer.getBiasUpdater().clone());
            }
        }
    }

    /** The activation function itself, or a copy of one that holds state between passes (ND4J's only one: RReLU). */
    private static IActivation own(IActivation fn) {
        return fn instanceof ActivationRReLU r ? new ActivationRReLU(r.getL(), r.getU()) : fn;
    }

    /** A freshly initialised network (random weights from the configuration's seed). */
    public static Network init(Object configuration) {
        if (configuration instanceof MultiLayerConfiguration conf) {
            MultiLayerNetwork net = new MultiLayerNetwork(conf);
            net.init();
            return new Network(net, NetworkKind.MULTI_LAYER);
        }
        if (configuration instanceof ComputationGraphConfiguration conf) {
            checkSingleInputOutput(conf);
            ComputationGraph graph = new ComputationGraph(conf);
            graph.init();
            return new Network(graph, NetworkKind.GRAPH);
        }
        throw new IllegalArgumentException("Not a DL4J network configuration: " + configuration);
    }

    /** Parses a configuration of {@code kind}: a {@link MultiLayerConfiguration} or a {@link ComputationGraphConfiguration}. */
    public static Object parseConfiguration(NetworkKind kind, String json) {
        return switch (kind) {
            case MULTI_LAYER -> MultiLayerConfiguration.fromJson(json);
            case GRAPH -> ComputationGraphConfiguration.fromJson(json);
        };
    }

    /** The data type a network of {@code configuration} computes in. */
    public static DataType dataType(Object configuration) {
        if (configuration instanceof MultiLayerConfiguration conf) {
            return conf.getDataType();
        }
        if (configuration instanceof ComputationGraphConfiguration conf) {
            return conf.getDataType();
        }
        throw new IllegalArgumentException("Not a DL4J network configuration: " + configuration);
    }

    private static void checkSingleInputOutput(ComputationGraphConfiguration conf) {
        if (conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1) {
            throw new IllegalArgumentException("The ComputationGraph has " + conf.getNetworkInputs().size()
                    + " inputs " + conf.getNetworkInputs() + " and " + conf.getNetworkOutputs().size() + " outputs "
                    + conf.getNetworkOutputs() + "; evoprune supports graphs with one input and one output");
        }
    }

    public NetworkKind kind() {
        return kind;
    }

    /** The wrapped DL4J model: a MultiLayerNetwork or a ComputationGraph. */
    public Model model() {
        return model;
    }

    /** The configuration object: a {@link MultiLayerConfiguration} or a {@link ComputationGraphConfiguration}. */
    public Object configuration() {
        return model instanceof MultiLayerNetwork net ? net.getLayerWiseConfigurations()
                : ((ComputationGraph) model).getConfiguration();
    }

    public String configurationJson() {
        return model instanceof MultiLayerNetwork net ? net.getLayerWiseConfigurations().toJson()
                : ((ComputationGraph) model).getConfiguration().toJson();
    }

    /** All parameters as one flat vector (a view: writing to it changes the network). */
    public INDArray params() {
        return model.params();
    }

    public long numParams() {
        return model.numParams();
    }

    public DataType dataType() {
        return model.params().dataType();
    }

    /** The layer named {@code name} in {@link io.evoprune.mask.LayerGraph}'s naming. */
    public Layer layer(String name) {
        if (model instanceof MultiLayerNetwork net) {
            var confs = net.getLayerWiseConfigurations().getConfs();
            for (int i = 0; i < confs.size(); i++) {
                if (io.evoprune.mask.LayerGraph.layerName(confs.get(i).getLayer(), i).equals(name)) {
                    return net.getLayer(i);
                }
            }
        } else {
            Layer layer = ((ComputationGraph) model).getLayer(name);
            if (layer != null) {
                return layer;
            }
        }
        throw new IllegalArgumentException("The network has no layer named '" + name + "'");
    }

    /** One parameter of one layer, as a view into {@link #params()}; null when the layer has no such parameter. */
    public INDArray param(String layer, String key) {
        return layer(layer).paramTable().get(key);
    }

    /** The layer names of this network, in parameter order. */
    public List<String> layerNames() {
        return io.evoprune.mask.LayerGraph.of(configuration()).layerNames();
    }

    /** Every layer's inference-mode activation for {@code features}, by layer name, in {@link #layerNames()} order. */
    public Map<String, INDArray> activations(INDArray features) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        List<String> names = layerNames();
        if (model instanceof MultiLayerNetwork net) {
            List<INDArray> acts = net.feedForward(features, false);
            for (int i = 0; i < names.size(); i++) {
                out.put(names.get(i), acts.get(i + 1));
            }
            return out;
        }
        Map<String, INDArray> acts = ((ComputationGraph) model).feedForward(features, false);
        for (String name : names) {
            out.put(name, acts.get(name));
        }
        return out;
    }

    /**
     * The gradient of the training loss (regularisation included) on one batch, laid out like {@link #params()};
     * no update is made. DL4J reuses the array: it is valid until the next call.
     */
    public INDArray gradient(INDArray features, INDArray labels) {
        if (model instanceof MultiLayerNetwork net) {
            net.setInput(features);
            net.setLabels(labels);
            net.computeGradientAndScore();
            return net.gradient().gradient();
        }
        ComputationGraph graph = (ComputationGraph) model;
        graph.setInputs(features);
        graph.setLabels(labels);
        graph.computeGradientAndScore();
        return graph.gradient().gradient();
    }

    /** Drops the inputs, labels and activations the network holds from its last pass. */
    public void clear() {
        model.clear();
    }

    /** One update on one minibatch. */
    public void fit(INDArray features, INDArray labels) {
        if (model instanceof MultiLayerNetwork net) {
            net.fit(features, labels);
        } else {
            ((ComputationGraph) model).fit(new INDArray[] {features}, new INDArray[] {labels});
        }
    }

    /** Inference-mode output. */
    public INDArray output(INDArray features) {
        return model instanceof MultiLayerNetwork net ? net.output(features, false)
                : ((ComputationGraph) model).outputSingle(false, features);
    }

    /** Mean loss (with regularisation terms) on {@code data}, inference mode. */
    public double score(DataSet data) {
        return model instanceof MultiLayerNetwork net ? net.score(data, false)
                : ((ComputationGraph) model).score(data, false);
    }

    /** Mean loss on {@code data} without the regularisation terms, inference mode: what the data says alone. */
    public double dataLoss(DataSet data) {
        return score(data) - regularizationScore();
    }

    /**
     * {@link #score(DataSet)} of one batch whose inference output is already at hand, without a second forward pass
     * where the output layer allows it: a plain {@code OutputLayer} or {@code LossLayer} (2-d) with identity or
     * softmax activation. Its loss function then gets the output layer's input back from the output: the output
     * itself for identity, its log for softmax (softmax ignores a constant shift, so softmax(log p) = p up to float
     * rounding). Any other output layer costs the second pass.
     */
    public double score(INDArray features, INDArray labels, INDArray output) {
        Layer out = model instanceof MultiLayerNetwork net ? net.getOutputLayer()
                : ((ComputationGraph) model).getOutputLayer(0);
        org.deeplearning4j.nn.conf.layers.Layer conf = out.conf().getLayer();
        ILossFunction lossFn = conf.getClass() == OutputLayer.class ? ((OutputLayer) conf).getLossFn()
                : conf.getClass() == LossLayer.class ? ((LossLayer) conf).getLossFn() : null;
        IActivation activation = lossFn == null ? null : ((BaseLayer) conf).getActivationFn();
        boolean invertible = activation instanceof ActivationIdentity || activation instanceof ActivationSoftmax;
        if (!invertible || output.rank() != 2 || labels.rank() != 2) {
            return score(new DataSet(features, labels));
        }
        INDArray preOutput = activation instanceof ActivationSoftmax ? Transforms.log(output, true) : output;
        // As DL4J's output layers score: the summed loss, per example when the configuration says mini-batch.
        double loss = lossFn.computeScore(labels, preOutput, activation, null, false);
        if (out.conf().isMiniBatch()) {
            loss /= labels.size(0);
        }
        return loss + regularizationScore();
    }

    private double regularizationScore() {
        return model instanceof MultiLayerNetwork net ? net.calcRegularizationScore(true)
                : ((ComputationGraph) model).calcRegularizationScore(true);
    }

    /** Every layer with a learning rate at {@code learningRate}, its updater state kept ({@link LearningRates}). */
    public void setLearningRate(double learningRate) {
        LearningRates.of(this).at(learningRate, List.of()).applyTo(this);
    }

    public void setListeners(TrainingListener... listeners) {
        model.setListeners(listeners);
    }
}
