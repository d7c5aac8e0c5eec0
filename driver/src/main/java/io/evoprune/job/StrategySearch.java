package io.evoprune.job;

import io.evoprune.baseline.ImportanceSample;
import io.evoprune.config.RunConfig;
import io.evoprune.config.StrategyConfig;
import io.evoprune.config.StrategyKeys;
import io.evoprune.evaluation.FineTuneSettings;
import io.evoprune.evaluation.Workload;
import io.evoprune.farm.SparkEvaluationFarm;
import io.evoprune.importance.Criterion;
import io.evoprune.importance.Importance;
import io.evoprune.importance.UnitScores;
import io.evoprune.mask.Mask;
import io.evoprune.mask.MaskApplier;
import io.evoprune.mask.MaskRepair;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.mask.Seeds;
import io.evoprune.model.Flops;
import io.evoprune.model.Network;
import io.evoprune.pruning.Budget;
import io.evoprune.search.BatchEvaluator;
import io.evoprune.search.GenerationStats;
import io.evoprune.search.GeneticSearch;
import io.evoprune.search.InitialMasks;
import io.evoprune.search.Nsga2Search;
import io.evoprune.search.ParetoPoint;
import io.evoprune.search.PickRule;
import io.evoprune.search.RacingEvaluator;
import io.evoprune.search.SearchResult;
import io.evoprune.search.SearchState;
import io.evoprune.search.SizeMeasure;
import io.evoprune.evaluation.EvaluationResult;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The search step of a run, by strategy: the penalised-fitness GA or NSGA-II, either one optionally with an
 * informed initial population and racing in front of the evaluation farm.
 */
final class StrategySearch {
    private static final long IMPORTANCE_STREAM = 8;

    /** What the search produced; {@code front} is empty and {@code racing} null when not asked for. */
    /** @param picked for NSGA-II, which rule picked {@code chosen} (PickRule.explain); null otherwise */
    record Outcome(SearchResult result, List<ParetoPoint> front, ParetoPoint chosen, String picked,
                   RacingEvaluator.RacingStats racing, java.util.function.Predicate<Mask> fullyEvaluated) {
    }

    private StrategySearch() {
    }

    /** The informed part of the initial population, from importance computed once here on the driver. */
    static List<Mask> seeds(RunConfig config, StrategyConfig strategy, Network base, PrunableLayout layout,
                            DataSet fineTune, PrintStream console) {
        int count = InitialMasks.count(config.search().population(), strategy.seededFraction());
        if (count == 0) {
            return List.of();
        }
        long start = System.nanoTime();
        DataSet sample = ImportanceSample.of(fineTune, strategy.importanceExamples(), config.search().seed());
        // Only the criteria the seeded masks take in turn: fewer masks than criteria leave the rest unread.
        List<Criterion> used = strategy.seedCriteria().subList(0, Math.min(count, strategy.seedCriteria().size()));
        List<UnitScores> scores = new ArrayList<>();
        for (Criterion c : used) {
            scores.add(Importance.score(c, base, layout, sample, config.fineTune().batchSize(),
                    Seeds.derive(config.search().seed(), IMPORTANCE_STREAM, c.ordinal())));
        }
        List<Mask> seeds = InitialMasks.seeded(scores, layout, count, config.search().initialKeepProbability(),
                config.search().seed());
        console.printf(Locale.ROOT, "evoprune: seeded %d of %d initial masks from %s in %.1f s%n", count,
                config.search().population(), used.stream().map(Criterion::configName).toList(),
                (System.nanoTime() - start) / 1e9);
        return seeds;
    }

    /**
     * How the search continues a run and checkpoints it; {@code from} null = from the start. Only the genetic
     * strategy checkpoints (NSGA-II runs are refused a resume before they start, see PruningJob).
     */
    record Continuation(SearchState from, Consumer<SearchState> checkpoint) {
    }

    /** Racing's short rung: the full fine-tune cut to {@code racing.short-batches}. */
    static FineTuneSettings shortFineTune(FineTuneSettings full, StrategyConfig strategy) {
        return full.withMaxBatches(full.maxBatches() > 0
                ? Math.min(full.maxBatches(), strategy.racingShortBatches()) : strategy.racingShortBatches());
    }

    /** Racing's short rung must train less than the full fine-tune on {@code examples}, or it saves nothing. */
    static void requireRacingSaves(FineTuneSettings full, StrategyConfig strategy, int examples) {
        if (Budget.batches(shortFineTune(full, strategy), examples) >= Budget.batches(full, examples)) {
            throw new BadInputException(StrategyKeys.RACING_SHORT_BATCHES.name() + " (" + strategy.racingShortBatches()
                    + ") must be below the full fine-tune's " + Budget.batches(full, examples)
                    + " batches, or racing saves nothing");
        }
    }

    /**
     * Runs the configured strategy. Every evaluation goes through {@code guard} (the failure budget), the short
     * rung of racing included.
     */
    static Outcome run(RunConfig config, StrategyConfig strategy, SparkEvaluationFarm farm,
                       Workload workload, Network base, List<Mask> seeds,
                       double baseValidationAccuracy, Consumer<GenerationStats> listener, MaskRepair repair,
                       java.util.function.UnaryOperator<BatchEvaluator> guard, Continuation continuation) {
        BatchEvaluator evaluator = guard.apply(farm);
        RacingEvaluator racing = null;
        SparkEvaluationFarm shortFarm = null;
        if (strategy.racing()) {
            FineTuneSettings brief = shortFineTune(workload.fineTune(), strategy);
            shortFarm = farm.rung(workload.withFineTune(brief));
            racing = new RacingEvaluator(guard.apply(shortFarm), evaluator, strategy.racingPromote());
            evaluator = racing;
        }
        try {
            PrunableLayout layout = workload.layout();
            java.util.function.Predicate<Mask> full = racing != null ? racing::promoted : m -> true;
            RacingEvaluator.RacingStats stats;
            if (strategy.strategy() == StrategyConfig.Strategy.NSGA2) {
                PickRule pick = new PickRule(strategy.pick() == StrategyConfig.Pick.SMALLEST_WITHIN,
                        strategy.pickTolerance());
                Nsga2Search.Outcome o = new Nsga2Search(config.search(), layout.units(), evaluator,
                        sizeMeasure(strategy.sizeObjective(), base, layout, workload.featureShape()), seeds, listener, repair)
                        .run(pick, baseValidationAccuracy);
                stats = racing != null ? racing.stats() : null;
                return new Outcome(o.result(), o.front(), o.chosen(), pick.explain(o.chosen(), baseValidationAccuracy),
                        stats, full);
            }
            SearchResult result = new GeneticSearch(config.search(), layout.units(), evaluator, seeds, listener, repair)
                    .run(continuation.from(), continuation.checkpoint());
            stats = racing != null ? racing.stats() : null;
            return new Outcome(result, List.of(), null, null, stats, full);
        } finally {
            if (shortFarm != null) {
                shortFarm.close();
            }
        }
    }

    static SizeMeasure sizeMeasure(StrategyConfig.SizeObjective objective, Network base, PrunableLayout layout,
                                   int[] featureShape) {
        Flops flops = Flops.of(base, featureShape); // layers it cannot count were refused before the run (PruningJob)
        return new SizeMeasure() {
            @Override
            public long flops(Mask mask) {
                return flops.flops(MaskApplier.parameterMask(base, layout, mask));
            }

            @Override
            public double size(Mask mask, EvaluationResult result) {
                return objective == StrategyConfig.SizeObjective.FLOPS ? flops(mask) : result.parametersKept();
            }
        };
    }
}
