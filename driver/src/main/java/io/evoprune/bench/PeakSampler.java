package io.evoprune.bench;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The largest value a reading takes while some work runs, read on a daemon thread every {@code periodMillis}:
 * the suite's peak heap (item 6) and peak GPU memory (item 7).
 */
final class PeakSampler {
    private final String name;
    private final LongSupplier reading;
    private final long periodMillis;
    private final AtomicLong peak;
    private volatile boolean running;
    private Thread thread;

    /** @param floor the peak before the first reading (e.g. the level before the work starts) */
    PeakSampler(String name, LongSupplier reading, long periodMillis, long floor) {
        this.name = name;
        this.reading = reading;
        this.periodMillis = periodMillis;
        this.peak = new AtomicLong(floor);
    }

    void start() {
        running = true;
        thread = new Thread(() -> {
            while (running) {
                peak.accumulateAndGet(reading.getAsLong(), Math::max);
                try {
                    Thread.sleep(periodMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops sampling and waits for the sampler, so that {@link #peak()} is final. */
    void stop() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join();
        }
    }

    long peak() {
        return peak.get();
    }
}
