package io.evoprune.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every range check of the run's keys refuses a value just outside and accepts the end itself. */
class KeyRangesTest {

    private static RunConfig run(Map<String, String> overrides) {
        return RunConfig.from(Settings.defaults().with(overrides, Settings.COMMAND_LINE));
    }

    @ParameterizedTest(name = "{0}: {1} refused, {2} accepted")
    @CsvSource({
            "search.generations,            -1,   0",
            "search.steady-generations,     -1,   0",
            "search.time-limit-seconds,     -1,   0",
            "search.crossover-probability,  -0.1, 0",
            "search.crossover-probability,  1.1,  1",
            "search.elitism,                -1,   0",
            "search.init-keep-probability,  0,    1",
            "search.init-keep-probability,  1.1,  1",
            "data.finetune.size,            -1,   0",
            "data.validation.size,          0,    1",
            "data.test.size,                -1,   0",
            "model.pretrain.epochs,         0,    1",
            "model.pretrain.batch-size,     0,    1",
            "model.pretrain.learning-rate,  0,    10",
            "model.pretrain.learning-rate,  10.5, 10",
            "evaluation.partitions,         -1,   0",
            "evaluation.threads,            0,    1",
            "evaluation.max-failed-fraction, -0.1, 0",
            "evaluation.max-failed-fraction, 1.1, 1",
    })
    void eachRunKeyIsRefusedJustOutsideItsRangeNamingTheKey(String key, String bad, String end) {
        String m = assertThrows(IllegalArgumentException.class, () -> run(Map.of(key, bad))).getMessage();
        assertTrue(m.startsWith(key + " must be"), m);
        assertDoesNotThrow(() -> run(Map.of(key, end)));
    }

    // The strategy's own keys, read by StrategyConfig.from rather than RunConfig.from
    @ParameterizedTest(name = "{0}: {1} refused, {2} accepted")
    @CsvSource({
            "pareto.pick-tolerance,      -0.1, 0",
            "pareto.pick-tolerance,      1.1,  1",
            "init.importance-fraction,   -0.1, 0",
            "init.importance-fraction,   1.1,  1",
            "init.importance-examples,   0,    1",
            "racing.short-batches,       -1,   0",
            "racing.promote-fraction,    0,    1",
            "racing.promote-fraction,    1.1,  1",
            "baseline.kept-fraction,     -0.1, 0",
            "baseline.kept-fraction,     1.1,  1",
            "baseline.iterative-steps,   0,    1",
            "baseline.l1,                -0.1, 0",
            "baseline.l1,                1.1,  1",
    })
    void eachStrategyKeyIsRefusedJustOutsideItsRangeNamingTheKey(String key, String bad, String end) {
        String m = assertThrows(IllegalArgumentException.class, () -> StrategyConfig.from(Map.of(key, bad)))
                .getMessage();
        assertTrue(m.startsWith(key + " must be"), m);
        assertDoesNotThrow(() -> StrategyConfig.from(Map.of(key, end)));
    }
}
