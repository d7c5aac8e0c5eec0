package io.evoprune.rebuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The layer table of rebuild-summary.txt. */
class RebuildExportTest {
    @Test
    void lenetsTableLinesUpWithThousandsSeparators() {
        String table = RebuildExport.summary(List.of(
                new LayerChange("fc1", "DenseLayer", 784, 784, 300, 145, 235_500, 113_825),
                new LayerChange("fc2", "DenseLayer", 300, 145, 100, 50, 30_100, 7_300),
                new LayerChange("out", "OutputLayer", 100, 50, 10, 10, 1_010, 510)));
        assertEquals("""
                layer  type             inputs       units          parameters
                fc1    DenseLayer   784 -> 784  300 -> 145  235,500 -> 113,825
                fc2    DenseLayer   300 -> 145  100 ->  50   30,100 ->   7,300
                out    OutputLayer  100 ->  50   10 ->  10    1,010 ->     510
                total parameters 266,610 -> 121,635 (45.6% kept)
                """, table);
    }

    @Test
    void aConvNetsColumnsLineUpAndLayersWithoutASizeShowADash() {
        String table = RebuildExport.summary(List.of(
                new LayerChange("conv1", "ConvolutionLayer", 3, 3, 64, 40, 1_792, 1_120),
                new LayerChange("bn1", "BatchNormalization", 64, 40, 64, 40, 256, 160),
                new LayerChange("pool1", "SubsamplingLayer", 64, 40, 64, 40, 0, 0),
                new LayerChange("drop", "DropoutLayer", 0, 0, 0, 0, 0, 0),
                new LayerChange("flatten-unknown", "ActivationLayer", -1, -1, -1, -1, 0, 0),
                new LayerChange("output", "OutputLayer", 10_240, 6_400, 10, 10, 102_410, 64_010)));
        List<String> rows = table.lines().toList().subList(0, 7);
        String drop = rows.get(4);
        assertTrue(drop.matches("drop +DropoutLayer +- +- +0 -> +0 +\\(unchanged\\)"), drop); // no size: "-"
        assertTrue(rows.get(5).matches("flatten-unknown +ActivationLayer +- +- +0 -> +0 +\\(unchanged\\)"), rows.get(5));
        // every column ends where its header does, and each arrow sits where the first row's arrows sit
        String header = rows.get(0);
        List<Integer> arrows = arrows(rows.get(1));
        assertEquals(3, arrows.size(), rows.get(1));
        for (String row : rows.subList(1, rows.size())) {
            for (String column : new String[] {"inputs", "units", "parameters"}) {
                int end = header.indexOf(column) + column.length();
                assertTrue(row.charAt(end - 1) != ' ' && (row.length() == end || row.charAt(end) == ' '),
                        column + " ends at " + end + ":\n" + table);
            }
            assertTrue(arrows.containsAll(arrows(row)), table);
        }
        assertEquals("output           OutputLayer         10,240 ->  6,400  10 -> 10  102,410 ->  64,010", rows.get(6));
        assertTrue(table.endsWith("total parameters 104,458 -> 65,290 (62.5% kept)\n"), table);
    }

    private static List<Integer> arrows(String row) {
        List<Integer> at = new ArrayList<>();
        for (int i = row.indexOf("->"); i >= 0; i = row.indexOf("->", i + 1)) {
            at.add(i);
        }
        return at;
    }
}
