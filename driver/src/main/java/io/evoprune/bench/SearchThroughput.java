package io.evoprune.bench;

import io.evoprune.evaluation.Candidate;
import io.evoprune.evaluation.EvaluationResult;
import io.evoprune.evaluation.MaskEvaluator;
import io.evoprune.evaluation.Scores;
import io.evoprune.farm.SparkEvaluationFarm;
import io.evoprune.mask.MaskRepair;
import io.evoprune.report.ProgressLine;
import io.evoprune.search.BatchEvaluator;
import io.evoprune.search.GeneticSearch;
import io.evoprune.search.SearchResult;
import java.io.PrintStream;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Items 1 and 2: the reference search itself (the genetic search on the Spark evaluation farm, as a run does it),
 * its throughput, and the wall time until it first holds a mask keeping at most half of the units whose validation
 * accuracy is within one point of the dense base's.
 */
final class SearchThroughput {
    static final double QUALITY_KEPT = 0.5;
    static final double QUALITY_POINTS = 0.01;

    /** One evaluated candidate, as the driver received it, and when (seconds since the search started). */
    record Evaluated(int generation, Candidate candidate, EvaluationResult result, double atSeconds) {
    }

    record Result(int population, int generations, String fineTuneNetwork, int evaluations, int cacheHits,
                  double searchSeconds, double evaluationsPerSecond, double secondsPerEvaluation,
                  double meanTaskSeconds, Double timeToQualitySeconds, Integer timeToQualityGeneration,
                  int bestKeptUnits, double bestKeptFraction, double bestValidationAccuracy, double bestTestAccuracy,
                  double baseValidationAccuracy, double baseTestAccuracy) {
    }

    private SearchThroughput() {
    }

    static Result run(ReferenceSetup setup, JavaSparkContext spark, List<Evaluated> log, PrintStream console) {
        var config = setup.config;
        try (SparkEvaluationFarm farm = new SparkEvaluationFarm(spark, setup.workload, config.partitions())) {
            long start = System.nanoTime();
            BatchEvaluator recording = new BatchEvaluator() {
                @Override
                public List<EvaluationResult> evaluate(int generation, List<Candidate> candidates) {
                    List<EvaluationResult> results = farm.evaluate(generation, candidates);
                    double at = TimedBatch.seconds(start);
                    for (int i = 0; i < candidates.size(); i++) {
                        log.add(new Evaluated(generation, candidates.get(i), results.get(i), at));
                    }
                    return results;
                }

                @Override
                public long settingsDigest() {
                    return farm.settingsDigest();
                }
            };
            ProgressLine progress = new ProgressLine(console, config.search().generations());
            SearchResult result = new GeneticSearch(config.search(), setup.layout().units(), recording, stats -> {
                progress.print(stats);
                farm.generationDone(stats);
            }, MaskRepair.of(setup.layout(), config.mask(), setup.base)).run();

            Evaluated first = firstOfQuality(log, setup.baseValidationAccuracy);
            Scores test = Scores.of(MaskEvaluator.fineTune(setup.workload,
                    new Candidate(0, result.bestMask(), result.bestSeed())).network(), setup.test);
            double meanTask = log.stream().mapToDouble(e -> e.result().seconds()).average().orElse(Double.NaN);
            return new Result(config.search().population(), result.history().size() - 1,
                    setup.workload.fineTune().rebuilt() ? "rebuilt" : "masked", result.evaluations(),
                    result.cacheHits(), result.seconds(), result.evaluations() / result.seconds(),
                    result.seconds() / result.evaluations(), meanTask,
                    first == null ? null : first.atSeconds(), first == null ? null : first.generation(),
                    result.bestMask().keptCount(), result.bestMask().keptFraction(), result.best().accuracy(),
                    test.accuracy(), setup.baseValidationAccuracy, setup.baseTestAccuracy);
        }
    }

    /** The first evaluation (in the order the driver received them) of the quality the item times. */
    static Evaluated firstOfQuality(List<Evaluated> log, double baseValidationAccuracy) {
        for (Evaluated e : log) {
            EvaluationResult r = e.result();
            if (!r.failed() && r.keptFraction() <= QUALITY_KEPT
                    && r.accuracy() >= baseValidationAccuracy - QUALITY_POINTS) {
                return e;
            }
        }
        return null;
    }
}
