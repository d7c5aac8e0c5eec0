package io.evoprune.job;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.evoprune.config.RunConfig;
import io.evoprune.config.Settings;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image folders the test draws, the built-in LeNet-5 pretrained on them, a search on Spark local[2]. */
@Tag("integration")
class ImageFolderRunTest {
    @TempDir
    Path dir;

    @Test
    void lenet5LearnsImageFoldersAndReportsEveryClassificationMetric() throws Exception {
        SplittableRandom random = new SplittableRandom(3);
        draw(dir.resolve("train"), 60, random);
        draw(dir.resolve("test"), 20, random);
        Map<String, String> set = Map.ofEntries(
                Map.entry("data.format", "images"), Map.entry("data.path", dir.resolve("train").toString()),
                Map.entry("data.test-path", dir.resolve("test").toString()), Map.entry("data.images.height", "16"),
                Map.entry("data.images.width", "16"), Map.entry("data.images.channels", "3"),
                Map.entry("data.validation.size", "30"), Map.entry("data.normalize", "standardize"),
                Map.entry("model.architecture", "lenet-5"), Map.entry("model.pretrain.epochs", "6"),
                Map.entry("model.pretrain.batch-size", "16"),
                Map.entry("search.population", "2"), Map.entry("search.generations", "0"),
                Map.entry("search.tournament-size", "2"), Map.entry("search.elitism", "1"),
                Map.entry("finetune.max-batches", "2"), Map.entry("finetune.batch-size", "16"),
                Map.entry("output.dir", dir.resolve("runs").toString()), Map.entry("output.run-name", "images"));
        RunConfig config = RunConfig.from(Settings.defaults().with(set, "test"));
        SparkConf spark = TinyRuns.localSpark(dir.resolve("spark"));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        new PruningJob(config, new PrintStream(console, true)).run(spark);

        JsonNode summary = new ObjectMapper().readTree(dir.resolve("runs/images/summary.json").toFile());
        for (String network : new String[] {"base", "pruned"}) {
            for (String part : new String[] {"validation", "test"}) {
                JsonNode m = summary.path(network).path(part);
                for (String metric : new String[] {"accuracy", "precision", "recall", "f1", "loss"}) {
                    assertTrue(m.path(metric).isNumber(), network + " " + part + " lacks " + metric + ": " + m);
                }
                assertTrue(m.path("mse").isMissingNode(), m.toString());
            }
        }
        // Red squares against blue circles: the pretrained CNN must separate them (chance is 0.5).
        double accuracy = summary.path("base").path("test").path("accuracy").asDouble();
        assertTrue(accuracy >= 0.8, "LeNet-5 test accuracy " + accuracy + "\n" + console);
        assertTrue(Files.exists(dir.resolve("runs/images/normalizer.bin")));
    }

    /** Class "blue-circle" and class "red-square" at random places and sizes, 24x24 (scaled to 16x16 on reading). */
    private static void draw(Path root, int perClass, SplittableRandom random) throws Exception {
        for (String cls : new String[] {"blue-circle", "red-square"}) {
            Path folder = Files.createDirectories(root.resolve(cls));
            for (int i = 0; i < perClass; i++) {
                BufferedImage img = new BufferedImage(24, 24, BufferedImage.TYPE_INT_RGB);
                var g = img.createGraphics();
                g.setColor(new Color(random.nextInt(60), random.nextInt(60), random.nextInt(60)));
                g.fillRect(0, 0, 24, 24);
                int size = 8 + random.nextInt(8);
                int x = random.nextInt(24 - size);
                int y = random.nextInt(24 - size);
                if (cls.startsWith("blue")) {
                    g.setColor(new Color(40, 60, 200 + random.nextInt(55)));
                    g.fillOval(x, y, size, size);
                } else {
                    g.setColor(new Color(200 + random.nextInt(55), 50, 40));
                    g.fillRect(x, y, size, size);
                }
                g.dispose();
                ImageIO.write(img, "png", folder.resolve(i + ".png").toFile());
            }
        }
    }
}
