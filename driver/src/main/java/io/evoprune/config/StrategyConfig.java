package io.evoprune.config;

import static io.evoprune.config.StrategyKeys.*;

import io.evoprune.evaluation.Checks;
import io.evoprune.importance.Criterion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Search strategy, informed initial population, racing and baselines. Read from a run's effective settings
 * (see {@link #from(Map)}), validated before anything runs.
 *
 * @param pickTolerance  accuracy the NSGA-II pick may lose against the base (fraction, 0.01 = 1 point)
 * @param thresholdK     k of the threshold pruner; NaN = auto
 * @param baselineKeep   kept fraction of the baselines; 0 = take it from the search (or the fitness target)
 */
public record StrategyConfig(Strategy strategy, SizeObjective sizeObjective, Pick pick, double pickTolerance,
                             double seededFraction, List<Criterion> seedCriteria, int importanceExamples,
                             int racingShortBatches, double racingPromote, boolean baselineReport,
                             List<Baseline> baselines, double baselineKeep, double thresholdK, int iterativeSteps,
                             double l1) {

    public enum Strategy { GENETIC, NSGA2 }

    public enum SizeObjective { PARAMETERS, FLOPS }

    public enum Pick { SMALLEST_WITHIN, MOST_ACCURATE }

    /** The classic pruners. Append new ones: their seeds are derived from the ordinals (SeedOrderTest). */
    public enum Baseline {
        MAGNITUDE_GLOBAL, MAGNITUDE_LAYER, THRESHOLD, L1, TAYLOR, ACTIVATION, APOZ, RANDOM, GREEDY_LAYER, ITERATIVE,
        GRADUAL_L1;

        /** The pruners that also prune single weights (granularity weight): the others remove whole neurons. */
        public static final java.util.Set<Baseline> FOR_WEIGHTS = java.util.EnumSet.of(MAGNITUDE_GLOBAL,
                MAGNITUDE_LAYER, THRESHOLD, TAYLOR, RANDOM, ITERATIVE);

        public String configName() {
            return Checks.configName(this);
        }
    }

    public StrategyConfig {
        Checks.inRange(NSGA2_TOLERANCE.name(), pickTolerance, 0, 1);
        Checks.inRange(INIT_FRACTION.name(), seededFraction, 0, 1);
        if (seedCriteria.isEmpty()) {
            throw new IllegalArgumentException(INIT_CRITERIA.name() + " must name at least one criterion");
        }
        seedCriteria = List.copyOf(seedCriteria);
        Checks.atLeast(INIT_EXAMPLES.name(), importanceExamples, 1);
        Checks.atLeast(RACING_SHORT_BATCHES.name(), racingShortBatches, 0);
        Checks.openClosed(RACING_PROMOTE.name(), racingPromote, 0, 1);
        baselines = List.copyOf(baselines);
        Checks.inRange(BASELINE_KEEP.name(), baselineKeep, 0, 1);
        if (!Double.isNaN(thresholdK) && !Double.isFinite(thresholdK)) {
            throw new IllegalArgumentException(BASELINE_THRESHOLD_K.name() + " must be a finite number or auto, but was "
                    + thresholdK);
        }
        Checks.atLeast(BASELINE_STEPS.name(), iterativeSteps, 1);
        Checks.inRange(BASELINE_L1.name(), l1, 0, 1);
    }

    public boolean racing() {
        return racingShortBatches > 0;
    }

    public static StrategyConfig from(Map<String, String> effective) {
        Settings s = Settings.defaults().with(effective, "run settings");
        List<Criterion> criteria = new ArrayList<>();
        for (String c : list(s.string(INIT_CRITERIA.name()))) {
            criteria.add(Criterion.parse(INIT_CRITERIA.name(), c));
        }
        List<Baseline> baselines = new ArrayList<>();
        for (String b : list(s.string(BASELINE_METHODS.name()))) {
            baselines.add(SearchConfig.choice(Baseline.class, BASELINE_METHODS.name(), b));
        }
        return new StrategyConfig(
                SearchConfig.choice(Strategy.class, SEARCH_STRATEGY.name(), s.string(SEARCH_STRATEGY.name())),
                SearchConfig.choice(SizeObjective.class, NSGA2_SIZE.name(), s.string(NSGA2_SIZE.name())),
                SearchConfig.choice(Pick.class, NSGA2_PICK.name(), s.string(NSGA2_PICK.name())),
                s.decimal(NSGA2_TOLERANCE.name()), s.decimal(INIT_FRACTION.name()), criteria,
                s.integer(INIT_EXAMPLES.name()), s.integer(RACING_SHORT_BATCHES.name()),
                s.decimal(RACING_PROMOTE.name()), s.bool(BASELINE_REPORT.name()), baselines,
                s.decimal(BASELINE_KEEP.name()),
                s.isAuto(BASELINE_THRESHOLD_K.name()) ? Double.NaN : finite(BASELINE_THRESHOLD_K.name(), s.decimal(BASELINE_THRESHOLD_K.name())),
                s.integer(BASELINE_STEPS.name()), s.decimal(BASELINE_L1.name()));
    }

    /** A number given explicitly; NaN is how the record says auto, so it may not be written out. */
    private static double finite(String key, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(key + " must be a finite number or auto, but was " + value);
        }
        return value;
    }

    private static List<String> list(String value) {
        List<String> items = new ArrayList<>();
        for (String item : value.split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        return items;
    }
}
