package io.evoprune.cli;

import io.evoprune.config.ConfigKey;
import io.evoprune.config.ConfigKeys;
import io.evoprune.job.BadInputException;
import io.evoprune.job.RunFailedException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command line. It parses and delegates: the work lives in {@link io.evoprune.job.PruningJob}.
 * Exit codes: 0 success, 2 bad input (configuration, model or data; nothing was run), 1 failure.
 */
@Command(name = "evoprune", mixinStandardHelpOptions = true, version = "evoprune 0.1.0",
        description = "Genetic search for neural-network pruning masks on Spark.",
        subcommands = {RunCommand.class, ApplyCommand.class, EvaluateCommand.class, ReportCommand.class,
                BaselineCommand.class, BenchCommand.class, Main.Keys.class})
public final class Main implements Callable<Integer> {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int BAD_INPUT = 2;

    public static void main(String[] args) {
        String missing = missingSpark(Main.class.getClassLoader());
        if (missing != null) {
            System.err.println(missing);
            System.exit(BAD_INPUT);
        }
        // On SIGTERM or Ctrl-C the JVM ends once its shutdown hooks have: this one holds it (up to 30 s) until the
        // command has said how far it got and how to continue, which it does as Spark's hook cancels its jobs.
        CountDownLatch finished = new CountDownLatch(1);
        Thread hold = new Thread(() -> {
            quietSpark();
            try {
                finished.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "evoprune-shutdown");
        Runtime.getRuntime().addShutdownHook(hold);
        int code;
        try {
            code = execute(args);
        } finally {
            finished.countDown();
        }
        System.exit(code); // during a shutdown, this waits for it (exit status 143 after SIGTERM)
    }

    /**
     * As the JVM stops, Spark's executor and scheduler log their closed pools' refusals as errors with traces, which
     * bury the lines that say how far the command got and how to continue. Nothing Spark logs then is news.
     */
    private static void quietSpark() {
        try {
            org.apache.logging.log4j.core.config.Configurator.setLevel("org.apache.spark",
                    org.apache.logging.log4j.Level.OFF);
        } catch (LinkageError | ClassCastException e) {
            // another logging backend than Spark's own log4j 2: leave it as it is
        }
        // Stopped mid-generation, a job's Scala future completes on a pool that is shutting down, and Scala reports
        // the refusal with printStackTrace() on System.err, past any logger. The command's own messages go to the
        // stream execute() wrapped before the signal, which this leaves as it was.
        System.setErr(new PrintStream(OutputStream.nullOutputStream(), true));
    }

    /**
     * The jar leaves Spark to the cluster ({@code provided}); started with {@code java -jar} it would die in
     * picocli with a NoClassDefFoundError. Null where Spark can be loaded.
     */
    static String missingSpark(ClassLoader loader) {
        try {
            Class.forName("org.apache.spark.SparkConf", false, loader);
            return null;
        } catch (ClassNotFoundException e) {
            return "evoprune: Spark is not on the class path: evoprune.jar leaves Spark to the cluster. Run it with "
                    + "spark-submit (docs/operations.md), or bin/evoprune for local[*]";
        }
    }

    /** Runs a command line and returns its exit code; no subcommand means {@code run}. */
    public static int execute(String... args) {
        return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** {@link #execute(String...)} with picocli's output and error streams given (tests read the messages). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        String[] effective = args.length == 0 || args[0].startsWith("-") && !isTopLevelOption(args[0])
                ? prepend("run", args) : args;
        CommandLine cli = new CommandLine(new Main()).setOut(out).setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> report(e, commandLine.getErr()));
        cli.setParameterExceptionHandler((e, given) -> {
            // One line as every bad input gets, and where to read more (picocli would print the whole usage).
            PrintWriter errors = e.getCommandLine().getErr();
            errors.println("evoprune: bad input: " + e.getMessage().replace("option option", "option"));
            CommandLine.UnmatchedArgumentException.printSuggestions(e, errors);
            errors.println("  the options: evoprune " + e.getCommandLine().getCommandSpec().qualifiedName(" ")
                    .replaceFirst("^\\S+\\s*", "") + (e.getCommandLine().getParent() == null ? "" : " ") + "--help");
            errors.flush();
            return BAD_INPUT;
        });
        return cli.execute(effective);
    }

    /** What a command's exception prints, and the exit code it ends with: bad input 2, any other failure 1. */
    static int report(Exception e, PrintWriter errors) {
        if (e instanceof BadInputException) {
            errors.println("evoprune: bad input: " + e.getMessage());
            errors.flush();
            return BAD_INPUT;
        }
        if (e instanceof RunFailedException) {
            // The message says why and how to continue; each cause in a line. The trace only where the root
            // cause looks like a bug rather than the environment (Spark, I/O), whose message says it all; none
            // without a cause (an interrupt: the trace would show only the shutdown reaching the trainer).
            errors.println("evoprune: failed: " + e.getMessage());
            Throwable root = e;
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                errors.println("  caused by " + c);
                root = c;
            }
            if (root != e && !(root instanceof org.apache.spark.SparkException
                    || root instanceof java.io.IOException)) {
                root.printStackTrace(errors);
            }
        } else {
            errors.println("evoprune: failed: " + e);
            e.printStackTrace(errors);
        }
        errors.flush();
        return FAILED;
    }

    /**
     * The configuration read from its sources. Settings and the config records reject a key or value with an
     * IllegalArgumentException naming it: bad input here. Anywhere else one is a bug, and reads as a failure.
     */
    static <T> T configuration(Supplier<T> read) {
        try {
            return read.get();
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
    }

    @Override
    public Integer call() {
        return OK;
    }

    /**
     * Refuses {@code --set} keys a command does not read, instead of ignoring them: {@code data.*} and
     * {@code search.seed} (the data's shuffle) and {@code evaluation.threads}, plus {@code rebuild.*} where
     * {@code rebuild} is true. Never data.normalize: these commands fit no normaliser, they use the model's bundled
     * one (or, with --run, the run's normalizer.bin).
     */
    static void requireReadKeys(String command, Map<String, String> overrides, boolean rebuild) {
        for (String key : overrides.keySet()) {
            String k = key.trim();
            if (k.equals("data.normalize")) {
                throw new BadInputException("evoprune " + command + " does not read data.normalize: it transforms the"
                        + " data with the normaliser bundled in the model file, if it has one, else with --run the"
                        + " run's normalizer.bin");
            }
            if (!reads(k, rebuild) && ConfigKeys.all().stream().anyMatch(c -> c.name().equals(k))) {
                throw new BadInputException("evoprune " + command + " reads only the " + (rebuild ? "rebuild.*, " : "")
                        + "data.*, search.seed and evaluation.threads keys; --set " + k + " would do nothing here");
            }
        }
    }

    /**
     * Evaluate and apply take the dataset as {@code --data}; {@code --set data.path} only overrides the data.path of
     * {@code --run}. Anywhere else it would be ignored (apply would skip every check and measurement): refused. So
     * are the other keys about the data (data.*, search.seed: its shuffle) where no dataset is read at all.
     */
    static void requireDataOption(String command, Map<String, String> overrides, String data, String run) {
        List<String> keys = overrides.keySet().stream().map(String::trim)
                .filter(k -> k.startsWith("data.") || k.equals("search.seed")).toList();
        if (keys.contains("data.path") && (data != null || run == null)) {
            throw new BadInputException(data != null
                    ? "evoprune " + command + " was given the dataset twice, as --data and as --set data.path: give it"
                            + " once, as --data"
                    : "evoprune " + command + " takes the dataset as --data D, not --set data.path (that key only"
                            + " overrides the data.path of --run RUN_DIR): give --data instead");
        }
        if (data == null && run == null && !keys.isEmpty()) {
            throw new BadInputException("evoprune " + command + " reads no dataset without --data D (or --run RUN_DIR),"
                    + " so --set " + keys.get(0) + " would do nothing: give --data"
                    + (command.equals("apply") ? ", or leave the key out" : ""));
        }
    }

    /** Whether evaluate (and apply, where {@code rebuild} is true) reads {@code key}: see {@link #requireReadKeys}. */
    static boolean reads(String key, boolean rebuild) {
        return key.startsWith("data.") && !key.equals("data.normalize") || key.equals("search.seed")
                || key.equals("evaluation.threads") || rebuild && key.startsWith("rebuild.");
    }

    private static boolean isTopLevelOption(String arg) {
        return arg.equals("-h") || arg.equals("--help") || arg.equals("-V") || arg.equals("--version");
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    /** Prints the configuration reference (the source of docs/configuration.md). */
    @Command(name = "keys", mixinStandardHelpOptions = true,
            description = "Print every configuration key with its default and meaning (Markdown, or a job file).")
    static final class Keys implements Callable<Integer> {
        @picocli.CommandLine.Option(names = "--properties", description = "Print a job file with every key instead.")
        boolean properties;

        @Override
        public Integer call() {
            System.out.print(properties ? referenceJobFile() : reference());
            return OK;
        }
    }

    /** A job file that sets every key to its default, each explained: the source of conf/evoprune.properties. */
    public static String referenceJobFile() {
        StringBuilder sb = new StringBuilder("# evoprune job file: every key at its default, each explained.\n")
                .append("# Generated by `bin/evoprune keys --properties`; copy it and change what you need.\n")
                .append("# Use: bin/evoprune run --config FILE [--set key=value ...]\n");
        String area = "";
        for (ConfigKey key : ConfigKeys.all()) {
            String prefix = key.name().substring(0, key.name().indexOf('.'));
            if (!prefix.equals(area)) {
                sb.append("\n# ---- ").append(prefix).append(" ----\n");
                area = prefix;
            }
            sb.append("\n");
            for (String line : wrap(key.doc(), 100)) {
                sb.append("# ").append(line).append("\n");
            }
            sb.append(key.name()).append("=").append(key.defaultValue()).append("\n");
        }
        return sb.toString();
    }

    private static java.util.List<String> wrap(String text, int width) {
        java.util.List<String> lines = new java.util.ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + word.length() + 1 > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.length() == 0 ? "" : " ").append(word);
        }
        lines.add(line.toString());
        return lines;
    }

    /** The configuration reference page, generated from {@link ConfigKeys}. */
    public static String reference() {
        StringBuilder sb = new StringBuilder("# Configuration reference\n\n")
                .append("Generated by `bin/evoprune keys` from the `*Keys` classes; do not edit by hand. Set keys in a job\n")
                .append("file (`--config conf/evoprune.properties`), through Spark (`--conf spark.evoprune.key=value`),\n")
                .append("or one at a time (`--set key=value`); later sources win in that order. Unknown keys are errors.\n\n")
                .append("| key | default | meaning |\n|---|---|---|\n");
        for (ConfigKey key : ConfigKeys.all()) {
            sb.append("| `").append(key.name()).append("` | `").append(key.defaultValue()).append("` | ")
                    .append(key.doc().replace("|", "\\|")).append(" |\n");
        }
        return sb.toString();
    }

}
