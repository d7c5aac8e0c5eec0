package io.evoprune.evaluation;

import io.evoprune.mask.MaskApplier;
import io.evoprune.mask.MaskEnforcer;
import io.evoprune.model.Network;
import io.evoprune.model.NetworkBlueprint;
import io.evoprune.model.Trainer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** One fitness evaluation: copy the base, apply the mask, fine-tune with the mask held, score on validation. */
public final class MaskEvaluator {
    private MaskEvaluator() {
    }

    /** A fine-tuned masked network and the size of what it kept. */
    public record Trained(Network network, long parametersKept) {
    }

    public static EvaluationResult evaluate(Workload workload, Candidate candidate) {
        long start = System.nanoTime();
        Workload.Prepared prepared = workload.prepared();
        Trained trained = fineTune(workload, candidate);
        Scores scores = Scores.of(trained.network(), prepared.validation(), workload.regression());
        double kept = candidate.mask().keptFraction();
        double seconds = (System.nanoTime() - start) / 1e9;
        String failure = divergence(trained.network(), scores);
        double fitness = failure == null ? workload.fitness().of(scores, kept) : Fitness.WORST;
        return new EvaluationResult(candidate.index(), fitness, scores.accuracy(), scores.loss(), kept,
                trained.parametersKept(), seconds, failure);
    }

    /** Applies the candidate's mask to a fresh copy of the base and fine-tunes it, pruned weights held at zero. */
    public static Trained fineTune(Workload workload, Candidate candidate) {
        Workload.Prepared prepared = workload.prepared();
        Network net = NetworkBlueprint.newNetwork(prepared.configuration(), prepared.baseParameters());
        INDArray parameterMask = MaskApplier.apply(net, workload.layout(), candidate.mask());
        FineTuneSettings settings = workload.fineTune();
        if (settings.learningRate() > 0) {
            net.setLearningRate(settings.learningRate());
        }
        net.setListeners(new MaskEnforcer(parameterMask));
        Trainer.fit(net, prepared.fineTune(), settings.epochs(), settings.batchSize(), settings.maxBatches(),
                candidate.seed());
        net.setListeners();
        return new Trained(net, parameterMask.castTo(DataType.DOUBLE).sumNumber().longValue());
    }

    private static String divergence(Network net, Scores scores) {
        if (!Double.isFinite(scores.loss())) {
            return "diverged: validation loss is " + scores.loss();
        }
        INDArray params = net.params();
        if (params.isNaN().any() || params.isInfinite().any()) {
            return "diverged: parameters hold NaN or infinite values";
        }
        return null;
    }
}
