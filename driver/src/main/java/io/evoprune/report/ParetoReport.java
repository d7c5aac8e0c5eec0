package io.evoprune.report;

import io.evoprune.mask.Mask;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.search.ParetoPoint;
import java.util.ArrayList;
import java.util.List;

/**
 * pareto.json: one entry per non-dominated mask of an NSGA-II run, smallest first (docs/search.md).
 *
 * @param accuracy      validation accuracy after the candidate fine-tune
 * @param testAccuracy  test accuracy; only for the chosen point (null elsewhere): the only one fine-tuned again
 * @param keptPerLayer  kept units of each prunable layer, in layer order
 * @param fullFineTune  false when racing kept the mask on its short fine-tune (its accuracy is understated)
 */
public record ParetoReport(double keptFraction, int keptUnits, long parametersKept, long flops, double accuracy,
                           Double testAccuracy, double fitness, double loss, List<Integer> keptPerLayer, String bits,
                           boolean fullFineTune, boolean chosen) {

    public static List<ParetoReport> of(List<ParetoPoint> front, ParetoPoint chosen, double chosenTestAccuracy,
                                        PrunableLayout layout, java.util.function.Predicate<Mask> fullFineTune) {
        List<ParetoReport> entries = new ArrayList<>();
        for (ParetoPoint p : front) {
            boolean isChosen = p.mask().equals(chosen.mask());
            Mask m = p.mask();
            List<Integer> perLayer = new ArrayList<>();
            for (PrunableLayout.Segment s : layout.segments()) {
                perLayer.add(m.keptCount(s.offset(), s.offset() + s.units()));
            }
            entries.add(new ParetoReport(m.keptFraction(), m.keptCount(), p.result().parametersKept(), p.flops(),
                    p.result().accuracy(), isChosen ? chosenTestAccuracy : null, p.result().fitness(),
                    p.result().loss(), perLayer, m.toBitString(), fullFineTune.test(m), isChosen));
        }
        return entries;
    }
}
