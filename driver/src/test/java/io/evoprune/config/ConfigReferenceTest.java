package io.evoprune.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evoprune.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The reference page and the reference job file must say what the code declares. */
class ConfigReferenceTest {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    @Test
    void configurationPageIsGeneratedFromTheKeys() throws Exception {
        String page = Files.readString(ROOT.resolve("docs/configuration.md"));
        assertEquals(Main.reference(), page, "docs/configuration.md is stale: run bin/evoprune keys > docs/configuration.md");
    }

    @Test
    void referenceJobFileIsGeneratedFromTheKeys() throws Exception {
        Path file = ROOT.resolve("conf/evoprune.properties");
        String text = Files.readString(file);
        for (ConfigKey key : ConfigKeys.all()) {
            assertTrue(text.contains("\n" + key.name() + "="), "conf/evoprune.properties lacks " + key.name());
        }
        // Its explanations too: a hand-kept copy went stale.
        assertEquals(Main.referenceJobFile(), text,
                "conf/evoprune.properties is stale: run bin/evoprune keys --properties > conf/evoprune.properties");
        // Loading it rejects unknown keys, and the values must form a valid configuration.
        RunConfig.from(Settings.defaults().withFile(file));
    }

    @Test
    void everyShippedJobFileIsValid() throws Exception {
        try (var files = Files.list(ROOT.resolve("conf"))) {
            java.util.List<Path> jobFiles = files.filter(f -> f.toString().endsWith(".properties")
                    && !f.getFileName().toString().startsWith("log4j2")).toList();
            // A moved conf/ or a filter that matches nothing would otherwise pass having checked no file at all.
            assertTrue(!jobFiles.isEmpty(), "no job files found in " + ROOT.resolve("conf"));
            for (Path file : jobFiles) {
                RunConfig.from(Settings.defaults().withFile(file));
            }
        }
    }

    @Test
    void keyNamesAreUnique() {
        assertEquals(ConfigKeys.all().size(), ConfigKeys.all().stream().map(ConfigKey::name).distinct().count());
    }
}
