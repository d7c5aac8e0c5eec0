package io.evoprune.rebuild;

import java.util.List;
import java.util.Locale;

/** The rebuild as a summary people can read. */
public final class RebuildExport {
    private RebuildExport() {
    }

    /** Layer by layer: inputs and units before and after, parameters before and after. */
    public static String summary(List<LayerChange> layers) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-16s %-20s %15s %15s %21s%n",
                "layer", "type", "inputs", "units", "parameters"));
        long before = 0;
        long after = 0;
        for (LayerChange c : layers) {
            sb.append(String.format(Locale.ROOT, "%-16s %-20s %15s %15s %21s%s%n", c.name(), c.type(),
                    change(c.inputsBefore(), c.inputsAfter()), change(c.unitsBefore(), c.unitsAfter()),
                    c.parametersBefore() + " -> " + c.parametersAfter(), c.changed() ? "" : "   (unchanged)"));
            before += c.parametersBefore();
            after += c.parametersAfter();
        }
        sb.append(String.format(Locale.ROOT, "total parameters %,d -> %,d (%.1f%% kept)%n", before, after,
                100.0 * after / before));
        return sb.toString();
    }

    /** "a -> b", or "-" for a layer that declares no size (dropout, activation: they take their input's). */
    private static String change(long before, long after) {
        return before == 0 && after == 0 ? "-" : before + " -> " + after;
    }
}
