package io.evoprune.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxDatasetTest {
    private static final Configuration HADOOP = new Configuration();

    @TempDir
    Path dir;

    static byte[] idx(int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x0800 | dims.length);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(data);
        return bytes.toByteArray();
    }

    static void write(Path file, byte[] content, boolean gzip) throws IOException {
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(content);
        }
    }

    private void writeSet(String prefix, int n, boolean gzip) throws IOException {
        writeSet(prefix, n, gzip, 10);
    }

    private void writeSet(String prefix, int n, boolean gzip, int classes) throws IOException {
        byte[] pixels = new byte[n * 4];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            pixels[i * 4] = (byte) 255;
            pixels[i * 4 + 1] = (byte) i;
            labels[i] = (byte) (i % classes);
        }
        String suffix = gzip ? ".gz" : "";
        write(dir.resolve(prefix + "-images-idx3-ubyte" + suffix), idx(new int[] {n, 2, 2}, pixels), gzip);
        write(dir.resolve(prefix + "-labels-idx1-ubyte" + suffix), idx(new int[] {n}, labels), gzip);
    }

    @Test
    void readsGzipAndRawFilesScaledToUnitRange() throws IOException {
        writeSet("train", 12, true);
        writeSet("t10k", 5, false);
        IdxDataset.Parts parts = IdxDataset.load(dir.toUri().toString(), HADOOP);
        assertEquals(12, parts.train().size());
        assertEquals(5, parts.test().size());
        assertEquals(4, parts.train().featureSize());
        assertEquals(10, parts.train().numClasses());
        assertEquals(1.0f, parts.train().features()[0]);
        assertEquals(3 / 255f, parts.train().features()[3 * 4 + 1], 1e-7);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, parts.test().labels());
        assertEquals("labels file " + new org.apache.hadoop.fs.Path(dir.toUri().toString(), "train-labels-idx1-ubyte.gz")
                + " item 9 (from 0)", parts.largestLabel(), "the first item holding the largest label, 9");
    }

    @Test
    void twoClassesAreTwoClassesInferredOrDeclared() throws IOException {
        writeSet("train", 12, true, 2);
        writeSet("t10k", 4, true, 2);
        String folder = dir.toUri().toString();
        assertEquals(2, IdxDataset.load(folder, HADOOP).train().numClasses());
        DataSource inferred = new DataSource(DataFormat.IDX, folder, "", false, 0, false, new DataSource.Csv(-1, 1, 0, ','),
                new DataSource.Images(28, 28, 1));
        assertEquals(2, DataLoader.load(inferred, 1, HADOOP).train().numClasses(), "data.classes=0: from the labels");
        DataSource declared = new DataSource(DataFormat.IDX, folder, "", false, 2, false, inferred.csv(), inferred.images());
        assertEquals(2, DataLoader.load(declared, 1, HADOOP).test().numClasses(), "data.classes=2 agrees with them");
        DataSource wider = new DataSource(DataFormat.IDX, folder, "", false, 10, false, inferred.csv(), inferred.images());
        assertEquals(10, DataLoader.load(wider, 1, HADOOP).train().numClasses(), "a subset of a 10-class set");
    }

    @Test
    void imagesKeepRowsThenColumnsAndEachPixelItsPlace() throws IOException {
        // Non-square 2x3 images: rows and columns swapped would give [1, 3, 2] and move pixels off their (r, c).
        int n = 2;
        byte[] pixels = new byte[n * 6];
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < 2; r++) {
                for (int c = 0; c < 3; c++) {
                    pixels[i * 6 + r * 3 + c] = (byte) (100 * i + 10 * r + c);
                }
            }
        }
        for (String prefix : new String[] {"train", "t10k"}) {
            write(dir.resolve(prefix + "-images-idx3-ubyte"), idx(new int[] {n, 2, 3}, pixels), false);
            write(dir.resolve(prefix + "-labels-idx1-ubyte"), idx(new int[] {n}, new byte[] {0, 1}), false);
        }
        ArrayDataset train = IdxDataset.load(dir.toString(), HADOOP).train();
        assertArrayEquals(new int[] {1, 2, 3}, train.featureShape(), "channels, rows, columns");
        org.nd4j.linalg.api.ndarray.INDArray x = train.toDataSet().getFeatures();
        assertArrayEquals(new long[] {n, 1, 2, 3}, x.shape());
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < 2; r++) {
                for (int c = 0; c < 3; c++) {
                    float expected = (100 * i + 10 * r + c) / 255f;
                    assertEquals(expected, train.features()[i * 6 + r * 3 + c], 1e-7, "flat index r * 3 + c");
                    assertEquals(expected, x.getFloat(i, 0, r, c), 1e-7, "pixel (" + r + ", " + c + ")");
                }
            }
        }
    }

    @Test
    void aRankFourIdxFileReadsWithItsWholeItemSize() throws IOException {
        // IDX allows up to four dimensions (e.g. n x 2 x 2 x 3 colour patches); rank 4 must not be refused.
        byte[] values = new byte[5 * 12];
        for (int i = 0; i < values.length; i++) {
            values[i] = (byte) i;
        }
        Path file = dir.resolve("patches-idx4-ubyte");
        write(file, idx(new int[] {5, 2, 2, 3}, values), false);
        IdxReader.Idx read = IdxReader.read(new org.apache.hadoop.fs.Path(file.toUri()), HADOOP);
        assertArrayEquals(new int[] {5, 2, 2, 3}, read.dims());
        assertEquals(5, read.count());
        assertEquals(12, read.itemSize());
        assertArrayEquals(values, read.data());
    }

    @Test
    void shippedDemoDataIsFashionMnist() throws IOException {
        IdxDataset.Parts parts = IdxDataset.load("../data/fashion-mnist-small", HADOOP);
        assertEquals(12_000, parts.train().size());
        assertEquals(2_000, parts.test().size());
        assertEquals(784, parts.train().featureSize());
        assertEquals(10, parts.train().numClasses());
    }

    @Test
    void truncatedFileIsNamed() throws IOException {
        writeSet("train", 12, false);
        writeSet("t10k", 5, false);
        Path images = dir.resolve("t10k-images-idx3-ubyte");
        byte[] whole = Files.readAllBytes(images);
        Files.write(images, java.util.Arrays.copyOf(whole, whole.length - 3));
        IOException e = assertThrows(IOException.class, () -> IdxDataset.load(dir.toString(), HADOOP));
        assertTrue(e.getMessage().contains("t10k-images-idx3-ubyte") && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void nonIdxAndMissingFilesAreNamed() throws IOException {
        writeSet("t10k", 5, false);
        IOException missing = assertThrows(IOException.class, () -> IdxDataset.load(dir.toString(), HADOOP));
        assertTrue(missing.getMessage().contains("train-images-idx3-ubyte"), missing.getMessage());
        writeSet("train", 3, false);
        Files.writeString(dir.resolve("train-labels-idx1-ubyte"), "label,image\n1,2\n");
        IOException notIdx = assertThrows(IOException.class, () -> IdxDataset.load(dir.toString(), HADOOP));
        assertTrue(notIdx.getMessage().contains("train-labels-idx1-ubyte") && notIdx.getMessage().contains("not an IDX"),
                notIdx.getMessage());
        IOException noFolder = assertThrows(IOException.class, () -> IdxDataset.load(dir.resolve("nope").toString(), HADOOP));
        assertTrue(noFolder.getMessage().contains("data.path"), noFolder.getMessage());
        String file = dir.resolve("train-labels-idx1-ubyte").toString();
        IOException aFile = assertThrows(IOException.class, () -> IdxDataset.load(file, HADOOP));
        assertTrue(aFile.getMessage().startsWith("data.path " + file + " is a file, but data.format=idx reads the folder")
                && aFile.getMessage().contains("(" + dir + "?)"), aFile.getMessage());
    }

    @Test
    void splitsAreDisjointAndSized() {
        float[] f = new float[100];
        int[] y = new int[100];
        for (int i = 0; i < 100; i++) {
            f[i] = i;
        }
        ArrayDataset train = new ArrayDataset(f, 1, y, 10);
        ArrayDataset test = new ArrayDataset(new float[20], 1, new int[20], 10);
        DataSplits s = DataSplits.cut(train, test, 50, 30, 10);
        assertEquals(70, s.pretrain().size());
        assertEquals(50, s.fineTune().size());
        assertEquals(30, s.validation().size());
        assertEquals(10, s.test().size());
        assertEquals(70f, s.validation().features()[0]); // validation starts after everything else
        assertEquals(49f, s.fineTune().features()[49]);

        var tooBig = assertThrows(IllegalArgumentException.class, () -> DataSplits.cut(train, test, 71, 30, 0));
        assertTrue(tooBig.getMessage().startsWith("data.finetune.size"), tooBig.getMessage());
        var noVal = assertThrows(IllegalArgumentException.class, () -> DataSplits.cut(train, test, 0, 100, 0));
        assertTrue(noVal.getMessage().startsWith("data.validation.size"), noVal.getMessage());
        var tests = assertThrows(IllegalArgumentException.class, () -> DataSplits.cut(train, test, 0, 10, 21));
        assertTrue(tests.getMessage().startsWith("data.test.size"), tests.getMessage());
    }
}
