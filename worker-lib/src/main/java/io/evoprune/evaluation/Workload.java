package io.evoprune.evaluation;

import io.evoprune.data.ArrayDataset;
import io.evoprune.data.Normalization;
import io.evoprune.mask.Mask;
import io.evoprune.mask.MaskApplier;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.model.Flops;
import io.evoprune.model.NativeThreads;
import io.evoprune.model.Network;
import io.evoprune.model.NetworkBlueprint;
import java.io.Serializable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Everything an executor needs to evaluate masks, broadcast once per run. The ND4J arrays are built from it
 * lazily, once per executor JVM (Spark keeps one deserialised copy of a broadcast value per executor), and
 * shared read-only by all tasks there.
 */
public final class Workload implements Serializable {
    private static final long serialVersionUID = 1L;

    private final NetworkBlueprint base;
    private final ArrayDataset fineTuneData;
    private final ArrayDataset validationData;
    private final PrunableLayout layout;
    private final FineTuneSettings fineTune;
    private final Fitness fitness;
    private final int nativeThreads;
    /** ND4J NormalizerSerializer bytes fitted on the training data; null = features used as they are. */
    private final byte[] normalizer;
    private transient volatile Prepared prepared;

    public Workload(NetworkBlueprint base, ArrayDataset fineTuneData, ArrayDataset validationData,
                    PrunableLayout layout, FineTuneSettings fineTune, Fitness fitness, int nativeThreads,
                    byte[] normalizer) {
        this.normalizer = normalizer == null ? null : normalizer.clone();
        this.base = base;
        this.fineTuneData = fineTuneData;
        this.validationData = validationData;
        this.layout = layout;
        this.fineTune = fineTune;
        this.fitness = fitness;
        this.nativeThreads = nativeThreads;
    }

    /**
     * The executor-side ND4J form of this workload.
     *
     * @param base  a network over the base parameters, read only (for the positions of its parameters), and
     * @param flops the base's multiply-add counts: both only for {@link Fitness.Size#FLOPS}, else null (a copy of
     *              the base costs memory on every executor)
     */
    record Prepared(Object configuration, INDArray baseParameters, DataSet fineTune, DataSet validation,
                    Network base, Flops flops) {
    }

    Prepared prepared() {
        Prepared p = prepared;
        if (p == null) {
            synchronized (this) {
                p = prepared;
                if (p == null) {
                    NativeThreads.limit(nativeThreads);
                    Object configuration = base.configuration();
                    io.evoprune.model.BlasCheck.require(io.evoprune.model.Network.dataType(configuration));
                    INDArray parameters = Nd4j.createFromArray(base.parameters());
                    Network network = fitness.size() == Fitness.Size.FLOPS
                            ? NetworkBlueprint.newNetwork(configuration, parameters) : null;
                    p = new Prepared(configuration, parameters,
                            Normalization.apply(normalizer, fineTuneData.toDataSet()),
                            Normalization.apply(normalizer, validationData.toDataSet()), network,
                            network == null ? null : Flops.of(network, validationData.featureShape()));
                    prepared = p;
                }
            }
        }
        return p;
    }

    /**
     * The kept fraction fitness penalises for {@code mask}, by {@link Fitness#size()}: of the prunable units, of
     * the base's parameters ({@code parametersKept} of them kept) or of its multiply-adds per example.
     */
    public double sizeFraction(Mask mask, long parametersKept) {
        return switch (fitness.size()) {
            case UNITS -> mask.keptFraction();
            case PARAMETERS -> parametersKept / (double) base.parameters().length;
            case FLOPS -> {
                Prepared p = prepared();
                yield p.flops().multiplyAdds(MaskApplier.parameterMask(p.base(), layout, mask))
                        / (double) p.flops().multiplyAdds();
            }
        };
    }

    /** This workload with other fine-tune settings (racing's short rung); same data and base. */
    public Workload withFineTune(FineTuneSettings settings) {
        return new Workload(base, fineTuneData, validationData, layout, settings, fitness, nativeThreads, normalizer);
    }

    /**
     * A digest of everything besides the mask that decides an evaluation's result: base network, data, fine-tune
     * settings and fitness. Results are cached under it, so a changed setting never reuses an old score, and a
     * checkpoint keeps it, so a run resumed on changed model or data files is refused. Built from values alone (no
     * enum or record hash codes, which differ between JVMs), so every JVM computes the same digest.
     */
    public long settingsDigest() {
        long h = mix(modelDigest(), fineTuneData.contentHash());
        h = mix(h, validationData.contentHash());
        return withSettings(mix(h, java.util.Arrays.hashCode(normalizer)));
    }

    private long modelDigest() {
        long h = mix(base.kind().name().hashCode(), base.configurationJson().hashCode());
        return mix(h, java.util.Arrays.hashCode(base.parameters()));
    }

    /** {@code digest} with the fine-tune and fitness settings mixed in. */
    private long withSettings(long digest) {
        long h = mix(digest, fineTune.epochs());
        h = mix(h, fineTune.maxBatches());
        h = mix(h, fineTune.batchSize());
        h = mix(h, Double.doubleToLongBits(fineTune.learningRate()));
        h = mix(h, fineTune.rebuilt() ? 1 : 0);
        h = mix(h, fitness.metric().name().hashCode());
        h = mix(h, fitness.size().name().hashCode());
        h = mix(h, Double.doubleToLongBits(fitness.targetKeptFraction()));
        return mix(h, Double.doubleToLongBits(fitness.penalty()));
    }

    /**
     * The parts {@link #settingsDigest()} covers, each digested alone, by what a user would restore: "model",
     * "fine-tune data", "validation data", "normaliser" and "settings". Saved with a run's checkpoints, so that a
     * refused resume can say which of them changed.
     */
    public java.util.Map<String, Long> inputDigests() {
        java.util.Map<String, Long> parts = new java.util.LinkedHashMap<>();
        parts.put("model", modelDigest());
        parts.put("fine-tune data", fineTuneData.contentHash());
        parts.put("validation data", validationData.contentHash());
        parts.put("normaliser", (long) java.util.Arrays.hashCode(normalizer));
        parts.put("settings", withSettings(0));
        return parts;
    }

    private static long mix(long digest, long value) {
        return io.evoprune.mask.Seeds.mix(digest * 31 + value);
    }

    /** The shape of one example as the network reads it (without the batch dimension). */
    public int[] featureShape() {
        return validationData.featureShape();
    }

    public NetworkBlueprint base() {
        return base;
    }

    public PrunableLayout layout() {
        return layout;
    }

    public FineTuneSettings fineTune() {
        return fineTune;
    }

    public Fitness fitness() {
        return fitness;
    }

    /** Whether candidates are scored as regression (real targets) rather than classification. */
    public boolean regression() {
        return validationData.regression();
    }
}
