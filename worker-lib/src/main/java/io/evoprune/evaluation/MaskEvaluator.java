package io.evoprune.evaluation;

import io.evoprune.mask.MaskApplier;
import io.evoprune.mask.MaskEnforcer;
import io.evoprune.model.LearningRates;
import io.evoprune.model.Network;
import io.evoprune.model.NetworkBlueprint;
import io.evoprune.model.Trainer;
import io.evoprune.rebuild.MaskRebuild;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One fitness evaluation: copy the base, apply the mask, fine-tune with the mask held (or fine-tune the physically
 * smaller network of the mask, see {@link FineTuneSettings#rebuilt()}), score on validation.
 */
public final class MaskEvaluator {
    private MaskEvaluator() {
    }

    /** A fine-tuned masked network and the size of what it kept. */
    public record Trained(Network network, long parametersKept) {
    }

    public static EvaluationResult evaluate(Workload workload, Candidate candidate) {
        long start = System.nanoTime();
        Workload.Prepared prepared = workload.prepared();
        Trained trained = workload.fineTune().rebuilt() ? fineTuneRebuilt(workload, candidate)
                : fineTune(workload, candidate);
        double kept = candidate.mask().keptFraction();
        double size = workload.sizeFraction(candidate.mask(), trained.parametersKept());
        // Diverged parameters are caught before scoring: DL4J's Evaluation refuses NaN predictions outright.
        String failure = divergedParameters(trained.network());
        Scores scores = failure == null ? Scores.of(trained.network(), prepared.validation(), workload.regression()) : null;
        if (failure == null && !Double.isFinite(scores.loss())) {
            failure = "diverged: validation loss is " + scores.loss();
        }
        Metric metric = workload.fitness().metric();
        if (failure == null && !Double.isFinite(metric.value(scores))) {
            failure = "validation " + metric.configName() + " is " + metric.value(scores);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (failure != null) {
            return new EvaluationResult(candidate.index(), Fitness.WORST, 0, scores == null ? Double.NaN : scores.loss(),
                    kept, size, trained.parametersKept(), seconds, failure);
        }
        return new EvaluationResult(candidate.index(), workload.fitness().of(scores, size), scores.accuracy(),
                scores.loss(), kept, size, trained.parametersKept(), seconds, null);
    }

    /**
     * Applies the candidate's mask to a fresh copy of the base and fine-tunes it, pruned weights held at zero: the
     * full-size masked network, whatever {@link FineTuneSettings#rebuilt()} says (exports and baselines need it).
     */
    public static Trained fineTune(Workload workload, Candidate candidate) {
        Workload.Prepared prepared = workload.prepared();
        Network net = NetworkBlueprint.newNetwork(prepared.configuration(), prepared.baseParameters());
        INDArray parameterMask = MaskApplier.apply(net, workload.layout(), candidate.mask());
        net.setListeners(new MaskEnforcer(parameterMask));
        train(net, workload, candidate);
        net.setListeners();
        return new Trained(net, MaskApplier.keptParameters(parameterMask));
    }

    /**
     * Rebuilds the base without the units the candidate's mask prunes and fine-tunes that smaller network. A pruned
     * unit of the masked network outputs zero and gets zero gradients, so the surviving weights see the same updates
     * in both forms (up to float rounding), and the smaller one computes fewer multiply-adds.
     */
    public static Trained fineTuneRebuilt(Workload workload, Candidate candidate) {
        Workload.Prepared prepared = workload.prepared();
        Network base = NetworkBlueprint.newNetwork(prepared.configuration(), prepared.baseParameters());
        Network net = MaskRebuild.rebuild(base, workload.layout(), candidate.mask()).network();
        train(net, workload, candidate);
        return new Trained(net, net.numParams());
    }

    /**
     * The candidate's fine-tune: the workload's settings, the candidate's shuffle seed. A fine-tune rate of its own is
     * the model's own again afterwards: the network may be exported (pruned-model.zip) and trained on.
     */
    private static void train(Network net, Workload workload, Candidate candidate) {
        FineTuneSettings settings = workload.fineTune();
        LearningRates own = settings.learningRate() > 0 ? LearningRates.of(net) : null;
        if (own != null) {
            net.setLearningRate(settings.learningRate());
        }
        Trainer.fit(net, workload.prepared().fineTune(), settings.epochs(), settings.batchSize(), settings.maxBatches(),
                candidate.seed());
        if (own != null) {
            own.applyTo(net);
        }
    }

    private static String divergedParameters(Network net) {
        INDArray params = net.params();
        if (params.isNaN().any() || params.isInfinite().any()) {
            return "diverged: fine-tuning left NaN or infinite parameters";
        }
        return null;
    }
}
