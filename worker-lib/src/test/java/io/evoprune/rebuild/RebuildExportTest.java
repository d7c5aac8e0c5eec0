package io.evoprune.rebuild;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The layer table of rebuild-summary.txt. */
class RebuildExportTest {
    @Test
    void layersWithoutASizeOfTheirOwnShowADashNotZeros() {
        String table = RebuildExport.summary(List.of(
                new LayerChange("fc1", "DenseLayer", 784, 784, 300, 150, 235_500, 117_750),
                new LayerChange("drop", "DropoutLayer", 0, 0, 0, 0, 0, 0)));
        assertTrue(table.contains("300 -> 150") && table.contains("235500 -> 117750"), table);
        String drop = table.lines().filter(l -> l.startsWith("drop")).findFirst().orElseThrow();
        assertTrue(drop.matches("drop +DropoutLayer +- +- +0 -> 0 .*"), drop); // inputs and units: "-"
        assertTrue(table.contains("total parameters 235,500 -> 117,750 (50.0% kept)"), table);
    }
}
