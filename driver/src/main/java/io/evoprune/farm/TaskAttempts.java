package io.evoprune.farm;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;

/**
 * How many times Spark runs a failing task before it fails the job, as Spark's own scheduler decides it:
 * {@code local} and {@code local[N]} try once, {@code local[N,F]} F times, every cluster master
 * {@code spark.task.maxFailures} times (default 4).
 */
final class TaskAttempts {
    private static final Pattern LOCAL_WITH_FAILURES = Pattern.compile("local\\[\\s*([0-9]+|\\*)\\s*,\\s*([0-9]+)\\s*\\]");
    private static final Pattern LOCAL = Pattern.compile("local(\\[\\s*([0-9]+|\\*)\\s*\\])?");

    private TaskAttempts() {
    }

    static int of(SparkConf conf) {
        String master = conf.get("spark.master", SparkSetup.DEFAULT_MASTER).trim();
        Matcher m = LOCAL_WITH_FAILURES.matcher(master);
        if (m.matches()) {
            return Math.max(1, Integer.parseInt(m.group(2)));
        }
        if (LOCAL.matcher(master).matches()) {
            return 1;
        }
        return Math.max(1, conf.getInt("spark.task.maxFailures", 4));
    }
}
