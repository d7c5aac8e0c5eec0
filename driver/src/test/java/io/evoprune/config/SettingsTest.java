package io.evoprune.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.evaluation.Metric;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
    @TempDir
    Path dir;

    private static String rejected(Map<String, String> overrides) {
        return assertThrows(IllegalArgumentException.class,
                () -> RunConfig.from(Settings.defaults().with(overrides, Settings.COMMAND_LINE))).getMessage();
    }

    @Test
    void defaultsFormTheReferenceWorkloadSearch() {
        RunConfig c = RunConfig.from(Settings.defaults());
        assertEquals(16, c.search().population());
        assertEquals(5, c.search().generations());
        assertEquals(SearchConfig.Selection.TOURNAMENT, c.search().selection());
        assertEquals(1.0 / 400, c.search().mutationProbability(400), 1e-15);
        assertEquals(0.5, c.fitness().targetKeptFraction());
    }

    @Test
    void unknownKeysAreRejectedWithASuggestion() {
        String m = assertThrows(IllegalArgumentException.class,
                () -> Settings.defaults().with(Map.of("search.populaton", "8"), "--set options")).getMessage();
        assertTrue(m.contains("'search.populaton'") && m.contains("--set options")
                && m.contains("did you mean 'search.population'"), m);
        String spark = assertThrows(IllegalArgumentException.class, () -> Settings.defaults().with(
                Map.of("spark.evoprune.search.population", "8"), "--set options")).getMessage();
        assertTrue(spark.contains("'spark.evoprune.search.population' (did you mean 'search.population'? The"
                + " spark.evoprune. prefix is for Spark's --conf only)"), spark);
    }

    @Test
    void everyUnknownKeyOfASourceIsNamedAtOnce() {
        String m = assertThrows(IllegalArgumentException.class, () -> Settings.defaults().with(
                Map.of("search.populaton", "8", "search.population", "6", "zzz.qqq", "1"), "job file j")).getMessage();
        assertEquals("Unknown configuration keys 'search.populaton' (did you mean 'search.population'?), 'zzz.qqq'"
                + " in job file j", m);
    }

    @Test
    void badValuesNameTheirKey() {
        assertTrue(rejected(Map.of("search.population", "1")).startsWith("search.population must be at least 2"));
        assertTrue(rejected(Map.of("search.population", "many")).startsWith("search.population must be an integer"));
        assertTrue(rejected(Map.of("fitness.target-kept-fraction", "0")).startsWith("fitness.target-kept-fraction"));
        assertTrue(rejected(Map.of("fitness.target-kept-fraction", "1.5")).startsWith("fitness.target-kept-fraction"));
        assertTrue(rejected(Map.of("search.selection", "best")).startsWith("search.selection must be one of tournament, roulette"));
        assertTrue(rejected(Map.of("search.elitism", "16")).startsWith("search.elitism must be below search.population"));
        assertTrue(rejected(Map.of("search.tournament-size", "20")).startsWith("search.tournament-size must be at most"));
        assertTrue(rejected(Map.of("search.tournament-size", "1")).startsWith("search.tournament-size must be at least 2"));
        for (String other : new String[] {"search.selection=roulette", "search.strategy=nsga2"}) {
            String[] kv = other.split("=");
            assertEquals(1, RunConfig.from(Settings.defaults().with(Map.of("search.tournament-size", "1", kv[0], kv[1]),
                    "test")).search().tournamentSize(), other + " reads no tournament size");
        }
        assertTrue(rejected(Map.of("search.population", "2")).startsWith("search.tournament-size must be at most "
                + "search.population (2)"));
        assertEquals(2, RunConfig.from(Settings.defaults().with(Map.of("search.population", "2",
                "search.selection", "roulette", "search.elitism", "1"), "test")).search().population(), "roulette ignores it");
        assertEquals(2, RunConfig.from(Settings.defaults().with(Map.of("search.population", "2",
                "search.strategy", "nsga2"), "test")).search().population(), "NSGA-II reads no elites or tournaments");
        assertTrue(rejected(Map.of("search.strategy", "nsga2", "search.tournament-size", "0"))
                .startsWith("search.tournament-size must be at least 1"), "NSGA-II still range-checks it");
        assertTrue(rejected(Map.of("search.strategy", "nsga3")).startsWith("search.strategy must be one of"));
        RunConfig upper = RunConfig.from(Settings.defaults().with(Map.of("search.mutation-probability", "AUTO",
                "fitness.metric", "Auto", "data.shuffle", "AUTO"), "test"));
        assertEquals(1.0 / 400, upper.search().mutationProbability(400), 1e-15, "auto in any case, as enum keys");
        assertTrue(rejected(Map.of("search.mutation-probability", "2")).startsWith("search.mutation-probability"));
        for (String notAProbability : new String[] {"-1", "-0.3", "NaN", "-Infinity"}) {
            assertTrue(rejected(Map.of("search.mutation-probability", notAProbability))
                    .startsWith("search.mutation-probability must be in [0.0, 1.0]"), notAProbability);
        }
        for (String k : new String[] {"NaN", "Infinity"}) {
            String m = assertThrows(IllegalArgumentException.class,
                    () -> StrategyConfig.from(Map.of("baseline.threshold-k", k))).getMessage();
            assertTrue(m.startsWith("baseline.threshold-k must be a finite number or auto"), m);
        }
        assertTrue(rejected(Map.of("finetune.batch-size", "0")).startsWith("finetune.batch-size"));
        assertTrue(rejected(Map.of("mask.granularity", "atom")).startsWith("mask.granularity must be one of"));
        assertTrue(rejected(Map.of("output.run-name", "../x")).startsWith("output.run-name"));
        assertTrue(rejected(Map.of("data.path", " ")).startsWith("data.path"));
        assertTrue(rejected(Map.of("data.shuffle", "yes")).startsWith("data.shuffle must be auto, true or false"));
        // true and false in any case too.
        assertTrue(rejected(Map.of("rebuild.enabled", "yes")).startsWith("rebuild.enabled must be true or false"));
        assertEquals(false, RunConfig.from(Settings.defaults().with(Map.of("rebuild.enabled", "FALSE"), "test"))
                .rebuild().enabled());
        assertEquals(true, StrategyConfig.from(Map.of("baseline.report", "True")).baselineReport());
        String report = assertThrows(IllegalArgumentException.class,
                () -> StrategyConfig.from(Map.of("baseline.report", "1"))).getMessage();
        assertTrue(report.startsWith("baseline.report must be true or false, but was '1'"), report);
    }

    @Test
    void aWrittenMutationProbabilityIsUsedAsIs() {
        SearchConfig c = RunConfig.from(Settings.defaults().with(Map.of("search.mutation-probability", "0.02"), "test"))
                .search();
        assertEquals(0.02, c.mutationProbability(400), 0);
        assertEquals(0.02, c.mutationProbability(10), 0, "whatever the genome length");
        assertEquals(0.0, RunConfig.from(Settings.defaults().with(Map.of("search.mutation-probability", "0"), "test"))
                .search().mutationProbability(400), 0, "0 is a probability too");
    }

    @Test
    void theAutoMetricIsAccuracyForClassesAndR2ForRegression() {
        assertEquals(Metric.ACCURACY, RunConfig.from(Settings.defaults()).fitness().metric());
        Map<String, String> regression = Map.of("data.format", "csv", "data.path", "train.csv",
                "data.test-path", "test.csv", "data.task", "regression");
        assertEquals(Metric.R2, RunConfig.from(Settings.defaults().with(regression, "test")).fitness().metric());
        Map<String, String> mse = new java.util.HashMap<>(regression);
        mse.put("fitness.metric", "mse");
        assertEquals(Metric.MSE, RunConfig.from(Settings.defaults().with(mse, "test")).fitness().metric());
        assertEquals("fitness.metric=mse does not apply to classification data (data.task)",
                rejected(Map.of("fitness.metric", "mse")));
        Map<String, String> f1 = new java.util.HashMap<>(regression);
        f1.put("fitness.metric", "f1");
        assertEquals("fitness.metric=f1 does not apply to regression data (data.task)", rejected(f1));
    }

    @Test
    void laterSourcesWinAndTheFileIsChecked() throws Exception {
        Path file = dir.resolve("job.properties");
        Files.writeString(file, "# a job\nsearch.population=8\nsearch.generations=3\n");
        Settings s = Settings.defaults().withFile(file).with(Map.of("search.generations", "7"), "--set");
        RunConfig c = RunConfig.from(s);
        String m;
        assertEquals(8, c.search().population());
        assertEquals(7, c.search().generations());

        // A bad value is blamed on the file it came from; one given with --set needs no saying where.
        Files.writeString(file, "search.generations=two\n");
        m = assertThrows(IllegalArgumentException.class, () -> RunConfig.from(Settings.defaults().withFile(file)))
                .getMessage();
        assertEquals("search.generations must be an integer, but was 'two' (in configuration file " + file + ")", m);
        m = assertThrows(IllegalArgumentException.class, () -> RunConfig.from(Settings.defaults().withFile(file)
                .with(Map.of("search.generations", "three"), Settings.COMMAND_LINE))).getMessage();
        assertEquals("search.generations must be an integer, but was 'three'", m);

        Files.writeString(file, "search.generation=3\n");
        m = assertThrows(IllegalArgumentException.class, () -> Settings.defaults().withFile(file)).getMessage();
        assertTrue(m.contains("search.generation") && m.contains(file.toString()), m);
    }

    @Test
    void aConfigurationFileThatCannotBeReadSaysWhy() throws Exception {
        Path none = dir.resolve("none.properties");
        assertEquals("Configuration file " + none + " does not exist",
                assertThrows(IllegalArgumentException.class, () -> Settings.defaults().withFile(none)).getMessage());
        assertEquals("Cannot read configuration file " + dir + ": Is a directory",
                assertThrows(IllegalArgumentException.class, () -> Settings.defaults().withFile(dir)).getMessage());
        Path latin1 = Files.write(dir.resolve("latin1.properties"), new byte[] {'#', ' ', (byte) 0xE9, '\n'});
        assertEquals("Cannot read configuration file " + latin1 + ": it is not UTF-8 text",
                assertThrows(IllegalArgumentException.class, () -> Settings.defaults().withFile(latin1)).getMessage());
    }
}
