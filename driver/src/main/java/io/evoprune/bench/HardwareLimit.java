package io.evoprune.bench;

import io.evoprune.evaluation.FineTuneSettings;
import io.evoprune.mask.Mask;
import io.evoprune.model.Network;
import java.util.Comparator;
import java.util.List;

/**
 * Item 3: how close evaluations come to the machine's matrix-multiply peak. The FLOPs the search's evaluations
 * executed (counted from layer shapes) per second of search, against the gemm rate of as many concurrent
 * single-threaded products as the search runs evaluations at once, at the layer sizes those evaluations train.
 */
final class HardwareLimit {
    private static final double TIMING_SECONDS = 3;

    record Result(int slots, int batch, String layerShapes, double flopsPerEvaluation, double searchFlopsPerSecond,
                  double taskFlopsPerSecond, double gemmPeakOneThread, double gemmPeakConcurrent,
                  double gemmSquare1024OneThread, double fractionOfPeak) {
    }

    private HardwareLimit() {
    }

    /**
     * @param log   the search's evaluations (item 1)
     * @param slots evaluations the search ran at once (Spark task slots)
     */
    static Result run(ReferenceSetup setup, List<SearchThroughput.Evaluated> log, double searchSeconds, int slots,
                      boolean smoke) {
        FineTuneSettings settings = setup.workload.fineTune();
        int fineTune = setup.inputs.splits().fineTune().size();
        int validation = setup.inputs.splits().validation().size();
        double total = 0;
        double taskRate = 0;
        for (SearchThroughput.Evaluated e : log) {
            double flops = EvaluationFlops.of(setup.base, setup.layout(), e.candidate().mask(), settings,
                    setup.workload.featureShape(), fineTune, validation);
            total += flops;
            taskRate += flops / e.result().seconds();
        }
        // The gemm shapes of a typical evaluation: the network of the median-sized mask evaluated.
        Mask typical = log.stream().map(e -> e.candidate().mask()).sorted(Comparator.comparingInt(Mask::keptCount))
                .toList().get(log.size() / 2);
        Network trained = EvaluationFlops.trained(setup.base, setup.layout(), typical, settings);
        List<GemmPeak.Shape> shapes = GemmPeak.shapes(trained);
        double seconds = smoke ? 0.2 : TIMING_SECONDS;
        double one = GemmPeak.flopsPerSecond(shapes, settings.batchSize(), 1, seconds);
        double concurrent = GemmPeak.flopsPerSecond(shapes, settings.batchSize(), slots, seconds);
        double square = GemmPeak.flopsPerSecond(List.of(new GemmPeak.Shape(1024, 1024)), 1024, 1, seconds);
        double searchRate = total / searchSeconds;
        StringBuilder sb = new StringBuilder();
        for (GemmPeak.Shape s : shapes) {
            sb.append(sb.length() == 0 ? "" : ", ").append(s.in()).append('x').append(s.out());
        }
        return new Result(slots, settings.batchSize(), sb.toString(), total / log.size(), searchRate,
                taskRate / log.size(), one, concurrent, square, searchRate / concurrent);
    }
}
