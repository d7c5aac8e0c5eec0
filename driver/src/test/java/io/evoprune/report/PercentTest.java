package io.evoprune.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class PercentTest {
    @Test
    void roundsAsTheFractionsDecimalFormReadsSoTablesAgree() {
        // 205 of 400 units: baselines.md prints 0.513 ("%.3f"); 100 * 0.5125 is 51.24999... as a double.
        double share = 205 / 400.0;
        assertEquals("0.513", String.format(Locale.ROOT, "%.3f", share));
        assertEquals("51.3%", Percent.of(share));
        assertEquals("48.8%", Percent.of(195 / 400.0));
        assertEquals("100.0%", Percent.of(1));
        assertEquals("0.0%", Percent.of(0));
        assertEquals("NaN%", Percent.of(Double.NaN));
    }
}
