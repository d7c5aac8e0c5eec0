package io.evoprune.baseline;

import io.evoprune.mask.Seeds;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The examples data-driven importance runs on: N fine-tuning examples drawn without replacement from the run
 * seed, in file order. A random draw rather than the first N, because data that comes sorted by class (a CSV
 * or IDX file written class by class) would otherwise rank units on one or two classes only.
 */
public final class ImportanceSample {
    // Streams 1-10 are the search's, importance's, baselines', data's and rebuild's (see RunInputs).
    private static final long STREAM = 11;

    private ImportanceSample() {
    }

    /** All of {@code fineTune} when it has at most {@code examples}; else the same draw for the same seed. */
    public static DataSet of(DataSet fineTune, int examples, long runSeed) {
        int total = fineTune.numExamples();
        if (examples >= total) {
            return fineTune;
        }
        long[] rows = draw(total, examples, Seeds.derive(runSeed, STREAM, 0));
        return new DataSet(fineTune.getFeatures().get(NDArrayIndex.indices(rows)).dup(),
                fineTune.getLabels().get(NDArrayIndex.indices(rows)).dup());
    }

    /** {@code n} distinct indices below {@code total}, ascending: the first n of a seeded Fisher-Yates shuffle. */
    static long[] draw(int total, int n, long seed) {
        int[] order = new int[total];
        Arrays.setAll(order, i -> i);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            int j = i + random.nextInt(total - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return Arrays.stream(order, 0, n).sorted().asLongStream().toArray();
    }
}
