package io.evoprune.search;

import io.evoprune.evaluation.Candidate;
import io.evoprune.evaluation.EvaluationResult;
import io.evoprune.mask.Granularity;
import io.evoprune.mask.Mask;
import io.evoprune.mask.MaskRepair;
import io.evoprune.mask.MaskSettings;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.model.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Batch evaluators without Spark or training, and a small network's per-layer minimum, for testing the search. */
final class Fakes {
    private Fakes() {
    }

    /** Masks of 10 bits over a small MLP's neurons: fc1's 6 (bits 0-5) must keep 3, fc2's 4 (bits 6-9) keep 2. */
    static MaskRepair halfOfEachLayer() {
        Network base = Network.init(new NeuralNetConfiguration.Builder().seed(5).list()
                .layer(new DenseLayer.Builder().name("fc1").nIn(8).nOut(6).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().name("fc2").nOut(4).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(8))
                .build());
        MaskSettings half = new MaskSettings(Granularity.NEURON, List.of(), List.of(), 0.5);
        PrunableLayout layout = PrunableLayout.of(base.configuration(), half);
        if (!layout.segments().stream().map(PrunableLayout.Segment::name).toList().equals(List.of("fc1", "fc2"))) {
            throw new IllegalStateException("The fixture's layout changed: " + layout.segments());
        }
        return MaskRepair.of(layout, half, base);
    }

    /** Scores each mask by {@code accuracy}, taking {@code seconds} per evaluation; counts what it evaluated. */
    static final class Scorer implements BatchEvaluator {
        final ToDoubleFunction<Mask> accuracy;
        final double seconds;
        final List<Mask> seen = new ArrayList<>();

        Scorer(ToDoubleFunction<Mask> accuracy, double seconds) {
            this.accuracy = accuracy;
            this.seconds = seconds;
        }

        @Override
        public List<EvaluationResult> evaluate(int generation, List<Candidate> candidates) {
            List<EvaluationResult> out = new ArrayList<>();
            for (Candidate c : candidates) {
                seen.add(c.mask());
                double a = accuracy.applyAsDouble(c.mask());
                double kept = c.mask().keptFraction();
                out.add(new EvaluationResult(c.index(), a - 0.5 * Math.max(0, kept - 0.5), a, 1 - a, kept,
                        100L * c.mask().keptCount(), seconds, null));
            }
            return out;
        }
    }
}
