package io.evoprune.rebuild;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

/** The rebuild as a summary people can read. */
public final class RebuildExport {
    private static final String[] HEADER = {"layer", "type", "inputs", "units", "parameters"};

    private RebuildExport() {
    }

    /**
     * Layer by layer: inputs and units before and after, parameters before and after. Columns are as wide as their
     * widest cell, and both sides of every "before -> after" as wide as the column's widest number, so the arrows
     * line up whatever the layer names and sizes.
     */
    public static String summary(List<LayerChange> layers) {
        int inputs = numberWidth(layers, LayerChange::inputsBefore, LayerChange::inputsAfter);
        int units = numberWidth(layers, LayerChange::unitsBefore, LayerChange::unitsAfter);
        int parameters = numberWidth(layers, LayerChange::parametersBefore, LayerChange::parametersAfter);
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        long before = 0;
        long after = 0;
        for (LayerChange c : layers) {
            rows.add(new String[] {c.name(), c.type(), change(c.inputsBefore(), c.inputsAfter(), inputs),
                    change(c.unitsBefore(), c.unitsAfter(), units),
                    arrow(c.parametersBefore(), c.parametersAfter(), parameters)});
            before += c.parametersBefore();
            after += c.parametersAfter();
        }
        int[] widths = new int[HEADER.length];
        rows.forEach(r -> {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        });
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            String[] cells = rows.get(r);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < cells.length; i++) {
                // names left-aligned, numbers right-aligned
                line.append(String.format(Locale.ROOT, "%" + (i < 2 ? "-" : "") + widths[i] + "s  ", cells[i]));
            }
            if (r > 0 && !layers.get(r - 1).changed()) {
                line.append("(unchanged)");
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        sb.append(String.format(Locale.ROOT, "total parameters %,d -> %,d (%.1f%% kept)%n", before, after,
                100.0 * after / before));
        return sb.toString();
    }

    /**
     * "a -> b" with both numbers right-aligned in {@code width}, or "-" for a layer that declares no size (dropout,
     * activation: they take their input's; 0, or -1 where the rebuild does not know it).
     */
    private static String change(long before, long after, int width) {
        return before <= 0 && after <= 0 ? "-" : arrow(before, after, width);
    }

    private static String arrow(long before, long after, int width) {
        return String.format(Locale.ROOT, "%" + width + "s -> %" + width + "s", count(before), count(after));
    }

    /** The widest count among the layers that have one, as {@link #arrow} writes it. */
    private static int numberWidth(List<LayerChange> layers, ToLongFunction<LayerChange> before,
                                   ToLongFunction<LayerChange> after) {
        int width = 1;
        for (LayerChange c : layers) {
            if (before.applyAsLong(c) > 0 || after.applyAsLong(c) > 0) {
                width = Math.max(width, Math.max(count(before.applyAsLong(c)).length(),
                        count(after.applyAsLong(c)).length()));
            }
        }
        return width;
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
