package io.evoprune.report;

import io.evoprune.search.GenerationStats;
import java.io.PrintStream;
import java.util.Locale;

/** One console line per generation, with throughput and an estimate of the time left. */
public final class ProgressLine {
    private final PrintStream out;
    private final int generations;
    /** The fitness's size measure when it is not units ("parameters", "flops"), shown beside the kept units. */
    private final String size;
    private double breedingSeconds;
    /** Bred generations printed by this line: a resumed run starts past generation 0. */
    private int bred;

    public ProgressLine(PrintStream out, int generations) {
        this(out, generations, null);
    }

    public ProgressLine(PrintStream out, int generations, String size) {
        this.out = out;
        this.generations = generations;
        this.size = size;
    }

    public void print(GenerationStats s) {
        if (s.generation() > 0) {
            breedingSeconds += s.seconds();
            bred++;
        }
        double perGeneration = bred > 0 ? breedingSeconds / bred : s.seconds();
        long eta = Math.round(perGeneration * (generations - s.generation()));
        String kept = String.format(Locale.ROOT, "%.3f", s.bestKeptFraction())
                + (size == null ? "" : String.format(Locale.ROOT, "  %s %.3f", size, s.bestSizeFraction()));
        // Regression has no accuracy (NaN): its fitness already is the metric, so the field is left out.
        String accuracy = Double.isNaN(s.bestAccuracy()) ? ""
                : String.format(Locale.ROOT, "  acc %.4f", s.bestAccuracy());
        out.printf(Locale.ROOT,
                "gen %d/%d  best %.4f  mean %.4f%s  kept %s  %d evals (%d cached%s)  %.2f evals/s  ETA %d:%02d%n",
                s.generation(), generations, s.bestFitness(), s.meanFitness(), accuracy, kept,
                s.evaluations(), s.cacheHits(), s.failed() > 0 ? ", " + s.failed() + " failed" : "",
                s.evaluationsPerSecond(), eta / 60, eta % 60);
        out.flush();
    }
}
