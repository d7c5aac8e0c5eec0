package io.evoprune.bench;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Sums, over finished tasks, what Spark's task metrics say crossed the wire: result bytes, and the time executors
 * spent deserialising tasks and serialising results, beside the time they spent running them.
 */
final class WireMeter extends SparkListener {
    private final AtomicLong tasks = new AtomicLong();
    private final AtomicLong resultBytes = new AtomicLong();
    private final AtomicLong deserializeMillis = new AtomicLong();
    private final AtomicLong resultSerializeMillis = new AtomicLong();
    private final AtomicLong runMillis = new AtomicLong();

    record Totals(long tasks, long resultBytes, long deserializeMillis, long resultSerializeMillis, long runMillis) {
        Totals minus(Totals o) {
            return new Totals(tasks - o.tasks, resultBytes - o.resultBytes, deserializeMillis - o.deserializeMillis,
                    resultSerializeMillis - o.resultSerializeMillis, runMillis - o.runMillis);
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        TaskMetrics m = end.taskMetrics();
        if (m == null) {
            return;
        }
        resultBytes.addAndGet(m.resultSize());
        deserializeMillis.addAndGet(m.executorDeserializeTime());
        resultSerializeMillis.addAndGet(m.resultSerializationTime());
        runMillis.addAndGet(m.executorRunTime());
        tasks.incrementAndGet();
    }

    /** Bytes of {@code value} as Spark's Kryo serializer writes it onto the wire. */
    static <T> long kryoBytes(org.apache.spark.serializer.SerializerInstance kryo, T value, Class<T> type) {
        return kryo.serialize(value, scala.reflect.ClassTag$.MODULE$.apply(type)).remaining();
    }

    Totals totals() {
        return new Totals(tasks.get(), resultBytes.get(), deserializeMillis.get(), resultSerializeMillis.get(),
                runMillis.get());
    }

    /** The totals once at least {@code taskCount} tasks were reported (listener events arrive asynchronously). */
    Totals awaitTasks(long taskCount) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (tasks.get() < taskCount && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return totals();
    }
}
