package io.evoprune.bench;

import io.evoprune.evaluation.Candidate;
import io.evoprune.evaluation.EvaluationResult;
import io.evoprune.evaluation.FineTuneSettings;
import io.evoprune.evaluation.Scores;
import io.evoprune.evaluation.Workload;
import io.evoprune.farm.SparkEvaluationFarm;
import io.evoprune.mask.Granularity;
import io.evoprune.model.NativeThreads;
import io.evoprune.model.Network;
import io.evoprune.model.NetworkBlueprint;
import io.evoprune.rebuild.MaskRebuild;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * What each performance setting gives: the same candidates evaluated under one setting changed at a time, in this
 * JVM as many at once as Spark has task slots (the loop of item 4), then through Spark one task per candidate and
 * batched. The first variant runs again last, so a drift of the machine's speed shows.
 */
final class Tuning {
    /** @param coresBusy cores the JVM kept busy on average: evaluation threads and their GC, JIT and deallocators */
    record Variant(String name, String setting, int concurrent, int threadsPerEvaluation, double seconds,
                   double evaluationsPerSecond, double meanValidationAccuracy, double speedup, double coresBusy) {
    }

    /** @param float64Problem why float64 was not measured (this machine's BLAS gets it wrong), or null */
    record Result(int evaluations, List<Variant> variants, double networkBuildMillis, double rebuildMillis,
                  double scoringMillis, double evaluationMillis, long bytesPerCandidate, long bytesPerResult, int maskBits,
                  String float64Problem) {
    }

    private Tuning() {
    }

    static Result run(ReferenceSetup setup, JavaSparkContext spark, int slots, int count, PrintStream console) {
        List<Candidate> candidates = setup.candidates(count, 7);
        FineTuneSettings settings = setup.workload.fineTune();
        Workload masked = setup.workload.withFineTune(settings.withRebuilt(false));
        boolean rebuildable = setup.layout().granularity() != Granularity.WEIGHT
                && MaskRebuild.refusal(setup.base, setup.layout()) == null;
        Workload rebuilt = rebuildable ? setup.workload.withFineTune(settings.withRebuilt(true)) : null;
        int threads = setup.config.threads();

        List<Variant> variants = new ArrayList<>();
        TimedBatch.loop(masked, candidates, slots); // warm-up: the JIT, ND4J's first calls, the workload's arrays
        TimedBatch reference = TimedBatch.loop(masked, candidates, slots);
        variants.add(variant("masked, float32, workspaces on", "finetune.network=masked", slots, threads,
                reference, reference, console));
        if (rebuilt != null) {
            variants.add(variant("rebuilt (physically smaller)", "finetune.network=rebuilt", slots, threads,
                    TimedBatch.loop(rebuilt, candidates, slots), reference, console));
            // Alone on the machine: what running evaluations side by side costs each of them.
            variants.add(variant("rebuilt, one evaluation at a time", "finetune.network=rebuilt, 1 task slot", 1,
                    threads, TimedBatch.loop(rebuilt, candidates, 1), reference, console));
        }
        String float64 = io.evoprune.model.BlasCheck.problem(DataType.DOUBLE);
        if (float64 == null) {
            variants.add(variant("masked, float64", "network data type DOUBLE", slots, threads,
                    TimedBatch.loop(variantOf(setup, converted(setup.base, DataType.DOUBLE), settings.withRebuilt(false)),
                            candidates, slots), reference, console));
        } else {
            console.println("bench: tuning  masked, float64 not measured: " + float64);
        }
        variants.add(variant("masked, workspaces off", "WorkspaceMode.NONE", slots, threads,
                TimedBatch.loop(variantOf(setup, withoutWorkspaces(setup.base), settings.withRebuilt(false)),
                        candidates, slots), reference, console));
        NativeThreads.limit(slots);
        try {
            variants.add(variant("masked, " + slots + " native threads, one evaluation at a time",
                    "evaluation.threads=" + slots + ", 1 task slot", 1, slots,
                    TimedBatch.loop(masked, candidates, 1), reference, console));
        } finally {
            NativeThreads.limit(threads);
        }
        Workload fastest = rebuilt != null ? rebuilt : masked;
        String form = rebuilt != null ? "rebuilt" : "masked";
        try (SparkEvaluationFarm perCandidate = new SparkEvaluationFarm(spark, fastest, 0);
             SparkEvaluationFarm batched = new SparkEvaluationFarm(spark, fastest, slots)) {
            TimedBatch.spark(perCandidate, 0, candidates.subList(0, Math.min(slots, count)));
            TimedBatch.spark(batched, 0, candidates.subList(0, Math.min(slots, count)));
            variants.add(variant(form + ", Spark, one task per candidate", "evaluation.partitions=0", slots, threads,
                    TimedBatch.spark(perCandidate, 1, candidates), reference, console));
            variants.add(variant(form + ", Spark, " + slots + " tasks of " + (count + slots - 1) / slots
                            + " candidates", "evaluation.partitions=" + slots, slots, threads,
                    TimedBatch.spark(batched, 1, candidates), reference, console));
        }
        variants.add(variant("masked, float32, workspaces on (again)", "finetune.network=masked", slots, threads,
                TimedBatch.loop(masked, candidates, slots), reference, console));

        double build = millis(20, () -> NetworkBlueprint.of(setup.base).newNetwork());
        double rebuild = rebuildable ? millis(20, () -> MaskRebuild.rebuild(setup.base, setup.layout(),
                candidates.get(0).mask())) : Double.NaN;
        double scoring = millis(20, () -> Scores.of(setup.base, setup.validation, setup.workload.regression()));
        SerializerInstance kryo = new KryoSerializer(spark.getConf()).newInstance();
        long candidateBytes = WireMeter.kryoBytes(kryo, candidates.get(0), Candidate.class);
        long resultBytes = WireMeter.kryoBytes(kryo, reference.results().get(0), EvaluationResult.class);
        return new Result(count, variants, build, rebuild, scoring, 1000 * reference.seconds() * slots / count, candidateBytes,
                resultBytes, setup.layout().units(), float64);
    }

    private static Variant variant(String name, String setting, int concurrent, int threads, TimedBatch batch,
                                   TimedBatch reference, PrintStream console) {
        Variant v = new Variant(name, setting, concurrent, threads, batch.seconds(), batch.evaluationsPerSecond(),
                batch.meanAccuracy(), reference.seconds() / batch.seconds(), batch.coresBusy());
        console.printf(Locale.ROOT, "bench: tuning  %-50s %6.1f s  %.3f evals/s  acc %.4f  x%.2f  %.2f cores%n",
                v.name(), v.seconds(), v.evaluationsPerSecond(), v.meanValidationAccuracy(), v.speedup(), v.coresBusy());
        return v;
    }

    private static Workload variantOf(ReferenceSetup setup, Network base, FineTuneSettings settings) {
        var splits = setup.inputs.splits();
        return new Workload(NetworkBlueprint.of(base), splits.fineTune(), splits.validation(), setup.layout(),
                settings, setup.config.fitness(), setup.config.threads(), setup.inputs.normalizer());
    }

    private static Network converted(Network net, DataType type) {
        return Network.of(net.model() instanceof MultiLayerNetwork mln ? mln.convertDataType(type)
                : ((ComputationGraph) net.model()).convertDataType(type));
    }

    private static Network withoutWorkspaces(Network net) {
        Object conf = net.configuration();
        if (conf instanceof MultiLayerConfiguration mlc) {
            MultiLayerConfiguration c = mlc.clone();
            c.setTrainingWorkspaceMode(WorkspaceMode.NONE);
            c.setInferenceWorkspaceMode(WorkspaceMode.NONE);
            return Network.create(c, net.params());
        }
        ComputationGraphConfiguration c = ((ComputationGraphConfiguration) conf).clone();
        c.setTrainingWorkspaceMode(WorkspaceMode.NONE);
        c.setInferenceWorkspaceMode(WorkspaceMode.NONE);
        return Network.create(c, net.params());
    }

    private static double millis(int repeats, Runnable work) {
        work.run();
        long start = System.nanoTime();
        for (int i = 0; i < repeats; i++) {
            work.run();
        }
        return (System.nanoTime() - start) / 1e6 / repeats;
    }
}
