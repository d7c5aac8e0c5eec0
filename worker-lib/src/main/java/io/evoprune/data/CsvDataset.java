package io.evoprune.data;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.datavec.api.records.reader.impl.csv.CSVRecordReader;
import org.datavec.api.split.InputStreamInputSplit;
import org.datavec.api.writable.Writable;

/**
 * Delimited text read with DataVec's {@link CSVRecordReader}: every column is a number; the label column holds a
 * class index 0..k-1 (classification) or the label columns hold real targets (regression). A folder is read as
 * the concatenation of its files in path order, each with its own header lines skipped.
 */
public final class CsvDataset {
    /** Labels are stored as floats, which hold whole numbers exactly up to 2^24. */
    static final int MAX_LABEL = 1 << 24;

    private CsvDataset() {
    }

    /** The examples, and where the largest class label was read ("CSV file f line n"; null for regression). */
    record Read(ArrayDataset data, String largestLabel) {
    }

    static Read read(String location, String key, DataSource.Csv csv, boolean regression, Configuration hadoop)
            throws IOException {
        String largestAt = null;
        float largest = -1;
        FloatList features = new FloatList();
        FloatList targets = new FloatList();
        int columns = -1;
        int examples = 0;
        for (FileStatus file : DataFiles.files(location, key, hadoop)) {
            FileSystem fs = DataFiles.withoutChecksums(file.getPath().getFileSystem(hadoop));
            CSVRecordReader reader = new CSVRecordReader(csv.skipLines(), csv.delimiter());
            try (InputStream in = withoutBom(gunzipped(fs.open(file.getPath())))) {
                reader.initialize(new InputStreamInputSplit(in, file.getPath().toUri()));
                int record = 0;
                while (reader.hasNext()) {
                    List<Writable> row = reader.next();
                    record++;
                    String where = "CSV file " + DataFiles.shown(file.getPath()) + " line " + (csv.skipLines() + record);
                    if (row.size() == 1 && row.get(0).toString().isBlank()) {
                        continue;
                    }
                    if (columns < 0) {
                        columns = row.size();
                    }
                    if (row.size() != columns) {
                        throw new IOException(where + " has " + columnCount(row.size()) + ", but earlier lines have " + columns
                                + " (check data.csv.delimiter, now '" + csv.delimiter() + "')");
                    }
                    int first = csv.labelColumn() < 0 ? columns + csv.labelColumn() : csv.labelColumn();
                    if (first < 0 || first + csv.targets() > columns || columns - csv.targets() < 1) {
                        throw new IOException(where + " has " + columnCount(columns) + "; data.csv.label-column "
                                + csv.labelColumn() + " with " + csv.targets() + " label column(s) does not fit"
                                + (columns == 1 ? otherDelimiter(row.get(0).toString(), csv.delimiter()) : ""));
                    }
                    for (int c = 0; c < columns; c++) {
                        float v = number(row.get(c), where, c, record == 1);
                        boolean label = c >= first && c < first + csv.targets();
                        if (label && !regression && (v != Math.rint(v) || v < 0)) {
                            throw new IOException(where + " column " + c + " holds label "
                                    + row.get(c).toString().trim() + "; classification labels must be class indices"
                                    + " 0, 1, 2, ... (check data.csv.label-column, now " + csv.labelColumn()
                                    + ", or set data.task=regression)");
                        }
                        if (label && !regression && v > MAX_LABEL) {
                            throw new IOException(where + " column " + c + " holds label "
                                    + row.get(c).toString().trim() + ", larger than the largest class index read ("
                                    + MAX_LABEL + "); classification labels must be class indices 0..k-1 for k"
                                    + " classes (check data.csv.label-column, now " + csv.labelColumn() + ")");
                        }
                        if (label && !regression && v > largest) {
                            largest = v;
                            largestAt = where;
                        }
                        (label ? targets : features).add(v);
                    }
                    examples++;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted while reading " + file.getPath(), e);
            }
        }
        if (examples == 0) {
            throw new IOException("CSV data " + location + " holds no examples (key " + key + ")");
        }
        int[] shape = {columns - csv.targets()};
        if (regression) {
            return new Read(ArrayDataset.regression(features.toArray(), shape, targets.toArray(), csv.targets()), null);
        }
        float[] raw = targets.toArray();
        int[] classes = new int[raw.length];
        int max = 0;
        for (int i = 0; i < raw.length; i++) { // whole non-negative numbers: checked line by line above
            classes[i] = (int) raw[i];
            max = Math.max(max, classes[i]);
        }
        return new Read(ArrayDataset.classification(features.toArray(), shape, classes, max + 1), largestAt);
    }

    /** A gzip-compressed file (told by its magic bytes, whatever its name) read as the text it holds. */
    private static InputStream gunzipped(InputStream raw) throws IOException {
        java.io.BufferedInputStream in = new java.io.BufferedInputStream(raw);
        in.mark(2);
        byte[] head = in.readNBytes(2);
        in.reset();
        boolean gzip = head.length == 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
        return gzip ? new java.util.zip.GZIPInputStream(in) : in;
    }

    /** A hint when a one-column line holds another usual delimiter, or nothing. */
    static String otherDelimiter(String line, char delimiter) {
        for (char c : new char[] {',', ';', '\t', '|'}) {
            if (c != delimiter && line.indexOf(c) >= 0) {
                return " (the line holds " + shown(c) + " but data.csv.delimiter is " + shown(delimiter)
                        + ": set data.csv.delimiter=" + (c == '\t' ? "tab" : String.valueOf(c)) + "?)";
            }
        }
        return "";
    }

    private static String shown(char c) {
        return c == '\t' ? "a tab" : c == ' ' ? "a space" : "'" + c + "'";
    }

    /** The stream past a UTF-8 byte order mark, which editors on Windows write and the CSV reader keeps. */
    private static InputStream withoutBom(InputStream raw) throws IOException {
        java.io.BufferedInputStream in = new java.io.BufferedInputStream(raw);
        in.mark(3);
        byte[] head = in.readNBytes(3);
        if (head.length < 3 || (head[0] & 0xff) != 0xef || (head[1] & 0xff) != 0xbb || (head[2] & 0xff) != 0xbf) {
            in.reset();
        }
        return in;
    }

    /** The number in a field; {@code first}: the file's first line read, where text is most likely a header. */
    private static float number(Writable w, String where, int column, boolean first) throws IOException {
        String text = w.toString().trim();
        float value;
        try {
            value = Float.parseFloat(text);
        } catch (NumberFormatException e) {
            throw new IOException(where + " column " + column + " holds '" + text + "', not a number"
                    + (first ? " (a header line? set data.csv.skip-lines)"
                    : text.isEmpty() ? " (fill or drop missing values before the search)" : ""), e);
        }
        if (!Float.isFinite(value)) {
            // parseFloat reads NaN and Infinity (and overflows to it): training on one diverges mid-search
            throw new IOException(where + " column " + column + " holds '" + text + "', not a finite number"
                    + " (fill or drop missing values before the search)");
        }
        return value;
    }

    /** A growable float array; CSV files do not say how many lines they hold. */
    static final class FloatList {
        private float[] values = new float[1024];
        private int size;

        void add(float v) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, values.length * 2);
            }
            values[size++] = v;
        }

        float[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }
    }

    private static String columnCount(int n) {
        return n + (n == 1 ? " column" : " columns");
    }
}
