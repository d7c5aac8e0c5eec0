package io.evoprune.report;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * A fraction as a percentage with one decimal, rounded as its shortest decimal form reads (0.5125 is 51.3%, as
 * "%.3f" prints it 0.513), not as the double 100 * 0.5125 = 51.24999... would: the console, report.html and the
 * Markdown tables then agree on the same number.
 */
public final class Percent {
    private Percent() {
    }

    public static String of(double fraction) {
        if (!Double.isFinite(fraction)) {
            return fraction + "%";
        }
        return String.format(Locale.ROOT, "%.1f%%", BigDecimal.valueOf(fraction).movePointRight(2));
    }
}
