package io.evoprune.report;

import io.evoprune.search.GenerationStats;
import java.io.PrintStream;

/** One console line per generation, with throughput and an estimate of the time left. */
public final class ProgressLine {
    private final PrintStream out;
    private final int generations;
    private double breedingSeconds;

    public ProgressLine(PrintStream out, int generations) {
        this.out = out;
        this.generations = generations;
    }

    public void print(GenerationStats s) {
        if (s.generation() > 0) {
            breedingSeconds += s.seconds();
        }
        double perGeneration = s.generation() > 0 ? breedingSeconds / s.generation() : s.seconds();
        long eta = Math.round(perGeneration * (generations - s.generation()));
        out.printf("gen %d/%d  best %.4f  mean %.4f  acc %.4f  kept %.3f  %d evals (%d cached%s)  %.2f evals/s  ETA %d:%02d%n",
                s.generation(), generations, s.bestFitness(), s.meanFitness(), s.bestAccuracy(), s.bestKeptFraction(),
                s.evaluations(), s.cacheHits(), s.failed() > 0 ? ", " + s.failed() + " failed" : "",
                s.evaluationsPerSecond(), eta / 60, eta % 60);
        out.flush();
    }
}
