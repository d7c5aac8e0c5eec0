package io.evoprune.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.evoprune.cli.Main;
import io.evoprune.data.IdxDataset;
import io.evoprune.model.Architectures;
import io.evoprune.model.Network;
import io.evoprune.model.Trainer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.io.output.TeeOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.deeplearning4j.util.ModelSerializer;

/** Small real runs for fault tests: the shipped Fashion-MNIST subset, a handful of masks, a few batches. */
public final class TinyRuns {
    public static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final ObjectMapper JSON = new ObjectMapper();

    private TinyRuns() {
    }

    /**
     * A new empty folder under target/fault-tests (JUnit's @TempDir would need java.io.tmpdir, target/tmp, to
     * exist already). Left in place after the test, for reading when a test fails.
     */
    public static Path newFolder(String prefix) throws IOException {
        Path parent = Files.createDirectories(Path.of(System.getProperty("user.dir"), "target", "fault-tests"));
        Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
        return Files.createTempDirectory(parent, prefix);
    }

    /**
     * LeNet-300-100 trained for one epoch on 1,024 examples of the shipped data, saved once per test JVM: a real
     * trained base that costs a second instead of a full pretraining per run.
     */
    public static synchronized Path baseModel() throws IOException {
        Path file = Path.of(System.getProperty("user.dir"), "target", "fault-tests", "lenet-base.zip");
        if (!Files.exists(file)) {
            Files.createDirectories(file.getParent());
            IdxDataset.Parts data = IdxDataset.load(ROOT.resolve("data/fashion-mnist-small").toString(), new Configuration());
            Network net = Network.init(Architectures.lenet300100(data.train().featureSize(),
                    data.train().numClasses(), 1e-3, 7));
            Trainer.fit(net, data.train().slice(0, 1024).withFeatureShape(784).toDataSet(), 1, 64, 0, 7);
            Path tmp = file.resolveSibling("lenet-base.zip.tmp");
            ModelSerializer.writeModel(net.model(), tmp.toFile(), true);
            Files.move(tmp, file);
        }
        return file;
    }

    /** Spark local[2] on loopback, without the UI, its scratch files under {@code localDir} when not null. */
    public static SparkConf localSpark(Path localDir) {
        SparkConf spark = new SparkConf(false).setMaster("local[2]").set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        return localDir == null ? spark : spark.set("spark.local.dir", localDir.toString());
    }

    /** Settings of a tiny search writing to {@code out/name}; {@code extra} overrides them. */
    public static Map<String, String> settings(Path out, String name, String... extra) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("data.path", ROOT.resolve("data/fashion-mnist-small").toString());
        s.put("data.finetune.size", "512");
        s.put("data.validation.size", "256");
        s.put("data.test.size", "256");
        s.put("model.pretrain.epochs", "1");
        s.put("search.population", "4");
        s.put("search.generations", "3");
        s.put("search.elitism", "1");
        s.put("search.mutation-probability", "0.02"); // about 8 flips per mask: new masks every generation
        s.put("finetune.batch-size", "64");
        s.put("finetune.max-batches", "3");
        s.put("output.dir", out.toString());
        s.put("output.run-name", name);
        for (int i = 0; i < extra.length; i += 2) {
            s.put(extra[i], extra[i + 1]);
        }
        return s;
    }

    /** The arguments {@code run --set k=v ...} (plus {@code first}) for these settings. */
    public static String[] args(Map<String, String> settings, String... first) {
        List<String> args = new ArrayList<>(List.of(first));
        settings.forEach((k, v) -> {
            args.add("--set");
            args.add(k + "=" + v);
        });
        return args.toArray(String[]::new);
    }

    /** A command's exit code and what it wrote to standard error and (the job's console) standard output. */
    public record Outcome(int exitCode, String err, String out) {
    }

    public static Outcome execute(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        int code;
        // The job prints to System.out: kept for the test's own log as well as captured (and not closed with it).
        PrintStream both = new PrintStream(new TeeOutputStream(stdout, out), true, StandardCharsets.UTF_8);
        try (PrintWriter w = new PrintWriter(err, true, StandardCharsets.UTF_8)) {
            System.setOut(both);
            code = Main.execute(new PrintWriter(both, true), w, args);
        } finally {
            both.flush();
            System.setOut(stdout);
        }
        return new Outcome(code, err.toString(StandardCharsets.UTF_8), out.toString(StandardCharsets.UTF_8));
    }

    /** generations.jsonl without its timing field, one JSON object per generation. */
    public static List<JsonNode> generationsWithoutTimings(Path run) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("generations.jsonl"))) {
            ObjectNode node = (ObjectNode) JSON.readTree(line);
            node.remove("seconds");
            lines.add(node);
        }
        return lines;
    }

    /** summary.json without its timing fields. */
    public static JsonNode summaryWithoutTimings(Path run) throws IOException {
        ObjectNode node = (ObjectNode) JSON.readTree(run.resolve("summary.json").toFile());
        ObjectNode search = (ObjectNode) node.get("search");
        search.remove("seconds");
        search.remove("evaluationsPerSecond");
        return node;
    }

    public static JsonNode json(Path file) throws IOException {
        return JSON.readTree(file.toFile());
    }
}
