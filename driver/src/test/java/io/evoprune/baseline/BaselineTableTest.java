package io.evoprune.baseline;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The Markdown table speaks of a search only where there is one to compare with. */
class BaselineTableTest {
    @Test
    void withoutASearchMaskTheTableIsThePrunersAlone() {
        List<BaselineRow> rows = List.of(new BaselineRow("l1", 0.5, 200, 120_000, 240_000, 0.8, 0.79, 1.0, null));
        String table = Baselines.markdown(rows, 0.85, 0.84, "1 epoch(s)");
        assertTrue(table.startsWith("# The classic pruners\n"), table);
        assertFalse(table.contains("vs search:") || table.contains("reads high"), table);
        assertTrue(table.contains("2 per multiply-add"), table);
        assertTrue(table.contains("| test acc | seconds |\n|---|---|---|---|---|---|---|---|\n")
                && table.contains("| l1 | 0.500 | 200 | 120,000 | 240,000 | 0.8000 | 0.7900 | 1.0 |"), "no search column: " + table);
        assertFalse(table.contains(Baselines.DENSE), "no dense row, no note on it");

        List<BaselineRow> withDense = List.of(rows.get(0),
                new BaselineRow(Baselines.DENSE, 1.0, 400, 266_610, 532_400, 0.86, 0.85, 1.0, null));
        String both = Baselines.markdown(withDense, 0.85, 0.84, "1 epoch(s)");
        assertTrue(both.contains("| " + Baselines.DENSE + " | 1.000 | 400 | 266,610 | 532,400 | 0.8600 | 0.8500 |")
                && both.contains(Baselines.DENSE + ": every unit kept, given the same fine-tune budget"), both);
    }
}
