package io.evoprune.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerMinMaxScaler;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;

/** Every data format read from small files the test writes, and the errors bad files must raise. */
class DataLoaderTest {
    private static final Configuration HADOOP = new Configuration();
    private static final DataSource.Csv CSV = new DataSource.Csv(-1, 1, 1, ',');
    private static final DataSource.Images GREY_4X4 = new DataSource.Images(4, 4, 1);

    @TempDir
    Path dir;

    private DataSource source(DataFormat format, String train, String test, boolean regression, DataSource.Csv csv) {
        return new DataSource(format, train, test, regression, 0, format == DataFormat.IMAGES, csv, GREY_4X4);
    }

    private static ArrayDataset loadCsv(String location, String key, DataSource.Csv csv, boolean regression,
                                        Configuration hadoop) throws IOException {
        return CsvDataset.read(location, key, csv, regression, hadoop).data();
    }

    @Test
    void csvWithHeaderAndLabelColumnLast() throws IOException {
        Path train = write("train.csv", "a,b,c,label\n1,2,3,0\n4,5,6,2\n7,8,9,1\n");
        Path test = write("test.csv", "a,b,c,label\n0.5,0.25,1e-3,1\n");
        DataLoader.Parts parts = DataLoader.load(source(DataFormat.CSV, train.toString(), test.toString(), false, CSV), 1, HADOOP);
        assertEquals(3, parts.train().size());
        assertArrayEquals(new int[] {3}, parts.train().featureShape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, parts.train().features());
        assertArrayEquals(new int[] {0, 2, 1}, parts.train().labels());
        assertEquals(3, parts.train().numClasses());
        assertEquals(3, parts.test().numClasses(), "test data shares the training label space");
        assertArrayEquals(new float[] {0.5f, 0.25f, 1e-3f}, parts.test().features());
    }

    @Test
    void aFieldThatIsNoNumberIsNamedWithTheLikelyCause() throws IOException {
        DataSource.Csv noHeader = new DataSource.Csv(-1, 1, 0, ',');
        Path header = write("header.csv", "a,label\n1,0\n");
        IOException first = assertThrows(IOException.class, () -> loadCsv(header.toString(), "data.path", noHeader,
                false, HADOOP));
        assertTrue(first.getMessage().endsWith("line 1 column 0 holds 'a', not a number (a header line? set"
                + " data.csv.skip-lines)"), first.getMessage());
        Path gap = write("gap.csv", "1,0\n,1\n");
        IOException empty = assertThrows(IOException.class, () -> loadCsv(gap.toString(), "data.path", noHeader,
                false, HADOOP));
        assertTrue(empty.getMessage().endsWith("line 2 column 0 holds '', not a number (fill or drop missing values"
                + " before the search)"), empty.getMessage());
        Path word = write("word.csv", "1,0\nn/a,1\n");
        IOException text = assertThrows(IOException.class, () -> loadCsv(word.toString(), "data.path", noHeader,
                false, HADOOP));
        assertTrue(text.getMessage().endsWith("line 2 column 0 holds 'n/a', not a number"), text.getMessage());
    }

    @Test
    void testDataInsideOrEqualToTheTrainingDataIsRefusedWhereItWouldBeTrainedOn() throws Exception {
        String folder = dir.resolve("csv").toString();
        for (String[] paths : new String[][] {{folder, folder + "/test.csv"}, {folder + "/", folder},
                {"file:" + folder + "/train.csv", folder + "/./train.csv"}, {folder + "/train.csv", folder}}) {
            DataSource overlapping = source(DataFormat.CSV, paths[0], paths[1], false, CSV);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> overlapping.requireApart(HADOOP),
                    Arrays.toString(paths));
            assertTrue(e.getMessage().startsWith("data.test-path '" + paths[1] + "' and data.path '" + paths[0]
                    + "' overlap"), e.getMessage());
        }
        // Siblings, and a name that merely begins like the other's, are apart.
        source(DataFormat.CSV, folder + "/train.csv", folder + "/test.csv", false, CSV).requireApart(HADOOP);
        source(DataFormat.IMAGES, folder + "/train", folder + "/train-test", false, CSV).requireApart(HADOOP);
        source(DataFormat.DATASET, "hdfs://nn:8020/d/train", "hdfs://other:8020/d/train", false, CSV).requireApart(HADOOP);

        // On HDFS: the default port, the host's case and a path on the default file system name the same place.
        Configuration hdfs = new Configuration(false);
        hdfs.set("fs.defaultFS", "hdfs://NN.example:8020");
        for (String[] paths : new String[][] {{"hdfs://nn.example/d", "hdfs://nn.example:8020/d/test"},
                {"/d/train", "hdfs://nn.example/d/train"}, {"hdfs://nn.example:8020/d", "/d/test"}}) {
            DataSource overlapping = source(DataFormat.DATASET, paths[0], paths[1], false, CSV);
            assertThrows(IllegalArgumentException.class, () -> overlapping.requireApart(hdfs), Arrays.toString(paths));
        }
        source(DataFormat.DATASET, "/d/train", "hdfs://nn.example:9000/d/train", false, CSV).requireApart(hdfs);
        // A relative path is in the home folder of the user Hadoop acts as (here alice, not the JVM's user.name).
        DataSource relative = source(DataFormat.DATASET, "d", "hdfs://nn.example/user/alice/d/test", false, CSV);
        org.apache.hadoop.security.UserGroupInformation.createRemoteUser("alice").doAs(
                (java.security.PrivilegedExceptionAction<Void>) () -> {
                    assertThrows(IllegalArgumentException.class, () -> relative.requireApart(hdfs), "alice's d");
                    return null;
                });
        if (!System.getProperty("user.name").equals("alice")) {
            relative.requireApart(hdfs); // as this JVM's own user, d is another folder
        }
        source(DataFormat.DATASET, "/d/train", folder + "/d/train", false, CSV).requireApart(HADOOP);
        assertThrows(IllegalArgumentException.class, () -> source(DataFormat.DATASET, "/d/train", "file:///d/train",
                false, CSV).requireApart(HADOOP), "a path without a scheme is local by default");
    }

    @Test
    void shuffleReordersTrainingRowsBySeedAndLeavesTestInFileOrder() throws IOException {
        // Sorted by class, as exported from many tools: without a shuffle validation (the last rows) is all class 2.
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            rows.append(i).append(',').append(i / 10).append('\n');
        }
        Path train = write("sorted.csv", rows.toString());
        Path test = write("sorted-test.csv", "0,0\n1,1\n2,2\n");
        DataSource.Csv csv = new DataSource.Csv(-1, 1, 0, ',');
        DataSource kept = source(DataFormat.CSV, train.toString(), test.toString(), false, csv);
        DataSource shuffled = new DataSource(DataFormat.CSV, train.toString(), test.toString(), false, 0, true, csv,
                GREY_4X4);

        ArrayDataset inOrder = DataLoader.load(kept, 7, HADOOP).train();
        ArrayDataset once = DataLoader.load(shuffled, 7, HADOOP).train();
        assertArrayEquals(once.features(), DataLoader.load(shuffled, 7, HADOOP).train().features(), "same seed");
        assertNotEquals(Arrays.toString(once.features()), Arrays.toString(inOrder.features()));
        assertNotEquals(Arrays.toString(once.features()),
                Arrays.toString(DataLoader.load(shuffled, 8, HADOOP).train().features()), "another seed");
        for (int i = 0; i < once.size(); i++) {
            int row = (int) once.features()[i];
            assertEquals(row / 10, once.labels()[i], "row " + row + " keeps its label");
        }
        float[] sorted = once.features().clone();
        Arrays.sort(sorted);
        assertArrayEquals(inOrder.features(), sorted, "every row once");
        assertEquals(3, Arrays.stream(once.slice(20, 30).labels()).distinct().count(),
                "the last 10 rows now hold every class");
        assertArrayEquals(new float[] {0, 1, 2}, DataLoader.load(shuffled, 7, HADOOP).test().features());
    }

    @Test
    void csvLabelColumnFirstWithOtherDelimiterAndNoHeader() throws IOException {
        Path train = write("train.tsv", "1;0.1;0.2\n0;0.3;0.4\n");
        DataSource.Csv csv = new DataSource.Csv(0, 1, 0, ';');
        ArrayDataset data = loadCsv(train.toString(), "data.path", csv, false, HADOOP);
        assertArrayEquals(new int[] {1, 0}, data.labels());
        assertArrayEquals(new float[] {0.1f, 0.2f, 0.3f, 0.4f}, data.features());
    }

    @Test
    void csvRegressionWithTwoTargets() throws IOException {
        Path train = write("train.csv", "x1,x2,y1,y2\n1,2,0.5,-1.5\n3,4,2.5,7\n");
        DataSource.Csv csv = new DataSource.Csv(2, 2, 1, ',');
        ArrayDataset data = loadCsv(train.toString(), "data.path", csv, true, HADOOP);
        assertTrue(data.regression());
        assertEquals(2, data.size());
        assertArrayEquals(new float[] {0.5f, -1.5f, 2.5f, 7f}, data.targets());
        DataSet nd = data.toDataSet();
        assertArrayEquals(new long[] {2, 2}, nd.getLabels().shape());
    }

    @Test
    void csvErrorsNameTheFileAndLine() throws IOException {
        Path header = write("header.csv", "a,b,label\n1,2,0\n");
        IOException noSkip = assertThrows(IOException.class, () -> loadCsv(header.toString(), "data.path",
                new DataSource.Csv(-1, 1, 0, ','), false, HADOOP));
        assertTrue(noSkip.getMessage().contains("header.csv line 1") && noSkip.getMessage().contains("'a'"), noSkip.getMessage());

        Path ragged = write("ragged.csv", "1,2,0\n1,2,3,0\n");
        IOException columns = assertThrows(IOException.class, () -> loadCsv(ragged.toString(), "data.path",
                new DataSource.Csv(-1, 1, 0, ','), false, HADOOP));
        assertTrue(columns.getMessage().contains("ragged.csv line 2 has 4 columns"), columns.getMessage());

        Path fractional = write("fractional.csv", "h1,h2,label\n1,2,0\n1,2,1\n1,2,0.5\n");
        IOException label = assertThrows(IOException.class, () -> loadCsv(fractional.toString(), "data.path",
                new DataSource.Csv(-1, 1, 1, ','), false, HADOOP));
        assertTrue(label.getMessage().startsWith("CSV file " + fractional + " line 4 column 2 holds label 0.5; "
                + "classification labels must be class indices") && label.getMessage().contains(
                "data.csv.label-column, now -1"), label.getMessage());

        for (String notFinite : new String[] {"NaN", "Infinity", "-inf", "1e39"}) {
            Path gap = write("gap.csv", "1,2,0\n3," + notFinite + ",1\n");
            IOException e = assertThrows(IOException.class, () -> loadCsv(gap.toString(), "data.path",
                    new DataSource.Csv(-1, 1, 0, ','), false, HADOOP));
            assertTrue(e.getMessage().contains("gap.csv line 2 column 1 holds '" + notFinite + "', not a"), e.getMessage());
        }

        Path empty = write("empty.csv", "");
        IOException none = assertThrows(IOException.class, () -> loadCsv(empty.toString(), "data.path", CSV, false, HADOOP));
        assertTrue(none.getMessage().contains("empty.csv is empty"), none.getMessage());

        IOException unreachable = assertThrows(IOException.class, () -> loadCsv("hdfs://nohost.invalid/t.csv",
                "data.test-path", CSV, false, HADOOP));
        assertTrue(unreachable.getMessage().startsWith("Data path hdfs://nohost.invalid/t.csv cannot be reached (key"
                + " data.test-path)"), unreachable.getMessage());

        IOException noJars = assertThrows(IOException.class, () -> loadCsv("s3a://bucket/t.csv",
                "data.path", CSV, false, HADOOP));
        assertTrue(noJars.getMessage().startsWith("Data path s3a://bucket/t.csv cannot be reached (key data.path): no"
                + " Hadoop file system for s3a://") && noJars.getMessage().contains("hadoop-aws"), noJars.getMessage());
        // The same for IDX, the default format (it looks for its folder itself).
        IOException idxNoJars = assertThrows(IOException.class, () -> IdxDataset.load("s3a://bucket/fm", HADOOP));
        assertTrue(idxNoJars.getMessage().startsWith("Dataset folder s3a://bucket/fm cannot be reached (key data.path):"
                + " no Hadoop file system for s3a://"), idxNoJars.getMessage());

        IOException missing = assertThrows(IOException.class, () -> loadCsv(dir.resolve("nope.csv").toString(),
                "data.test-path", CSV, false, HADOOP));
        assertTrue(missing.getMessage().contains("nope.csv does not exist (key data.test-path)"), missing.getMessage());
    }

    @Test
    void csvLabelColumnsThatRunPastTheLineAreRefused() throws IOException {
        Path train = write("train.csv", "1,2,3\n4,5,6\n");
        IOException e = assertThrows(IOException.class, () -> loadCsv(train.toString(), "data.path",
                new DataSource.Csv(2, 2, 0, ','), true, HADOOP));
        assertTrue(e.getMessage().contains("line 1 has 3 columns; data.csv.label-column 2 with 2 label column(s)"
                + " does not fit"), e.getMessage());
    }

    @Test
    void colonsInFileNamesAreRead() throws IOException {
        // Hadoop's checksum layer would look for ".2024-01-01T10:00:00.png.crc", an invalid relative URI
        image("train/a/2024-01-01T10:00:00.png", Color.WHITE, 4);
        image("train/b/1.png", Color.BLACK, 4);
        assertEquals(2, ImageFolderDataset.load(dir.resolve("train").toString(), "data.path",
                java.util.List.of("a", "b"), GREY_4X4, HADOOP).size());
        Path csv = write("t:1.csv", "1,2,0\n3,4,1\n");
        assertEquals(2, loadCsv(csv.toString(), "data.path", new DataSource.Csv(-1, 1, 0, ','), false,
                HADOOP).size());
    }

    @Test
    void csvWithAnotherDelimiterSaysWhichAndGzipIsReadByItsBytes() throws IOException {
        Path semi = Files.writeString(dir.resolve("semi.csv"), "0.1;0.2;1\n0.3;0.4;0\n");
        DataSource.Csv commas = new DataSource.Csv(-1, 1, 0, ',');
        IOException e = assertThrows(IOException.class,
                () -> loadCsv(semi.toString(), "data.path", commas, false, HADOOP));
        assertTrue(e.getMessage().endsWith("(the line holds ';' but data.csv.delimiter is ',': set"
                + " data.csv.delimiter=;?)"), e.getMessage());
        Path zipped = dir.resolve("zipped.csv"); // compressed, though its name does not say so
        try (java.io.OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(zipped))) {
            out.write("0.1,0.2,1\n0.3,0.4,0\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        assertEquals(2, loadCsv(zipped.toString(), "data.path", commas, false, HADOOP).size());
    }

    @Test
    void csvLeadingByteOrderMarkIsSkipped() throws IOException {
        Path bom = write("bom.csv", "\uFEFF-0.5,2,1\n3,4,0\n");
        ArrayDataset data = loadCsv(bom.toString(), "data.path", new DataSource.Csv(-1, 1, 0, ','), false, HADOOP);
        assertArrayEquals(new float[] {-0.5f, 2, 3, 4}, data.features());
    }

    @Test
    void csvLabelsBeyondTheClassIndexRangeNameTheLine() throws IOException {
        Path huge = write("huge.csv", "1,2,0\n1,2,3e9\n");
        IOException e = assertThrows(IOException.class, () -> loadCsv(huge.toString(), "data.path",
                new DataSource.Csv(-1, 1, 0, ','), false, HADOOP));
        assertTrue(e.getMessage().startsWith("CSV file " + huge + " line 2 column 2 holds label 3e9, larger than")
                && e.getMessage().contains("0..k-1"), e.getMessage());
    }

    @Test
    void inferredClassesMostlyWithoutExamplesAreRefusedNamingTheLargestLabel() throws IOException {
        StringBuilder rows = new StringBuilder("x,label\n");
        for (int i = 0; i < 30; i++) {
            rows.append(i).append(',').append(i == 17 ? 100000 : i % 3).append('\n');
        }
        Path train = write("stray.csv", rows.toString());
        Path test = write("stray-test.csv", "x,label\n0,0\n1,1\n2,2\n");
        DataSource inferred = source(DataFormat.CSV, train.toString(), test.toString(), false, CSV);
        DataLoader.Parts parts = DataLoader.load(inferred, 1, HADOOP);
        IOException e = assertThrows(IOException.class, () -> DataLoader.requireExamplesOfMostClasses(inferred, parts));
        assertTrue(e.getMessage().contains("has labels up to 100000 (CSV file " + train + " line 19), so 100001"
                + " classes, but only 4 of them have examples: classification labels must be class indices 0..k-1")
                && e.getMessage().contains("data.csv.label-column, now -1"), e.getMessage());

        // Declared, the class count is the user's: no refusal.
        DataSource declared = new DataSource(DataFormat.CSV, train.toString(), test.toString(), false, 100001, false,
                CSV, GREY_4X4);
        assertEquals(null, DataLoader.requireExamplesOfMostClasses(declared, DataLoader.load(declared, 1, HADOOP)),
                "declared: nothing to warn either");
        // A stray 7 among 0..2 leaves half of 0..7 with examples: read as 8 classes, with a warning naming the
        // empty classes and the line of the 7.
        Path seven = write("seven.csv", rows.toString().replace("\n17,100000\n", "\n17,7\n"));
        DataSource eight = source(DataFormat.CSV, seven.toString(), test.toString(), false, CSV);
        DataLoader.Parts read = DataLoader.load(eight, 1, HADOOP);
        String warning = DataLoader.requireExamplesOfMostClasses(eight, read);
        assertEquals(8, read.train().numClasses());
        assertEquals("The data at " + seven + " and " + test + " has labels up to 7 (CSV file " + seven
                + " line 19), so 8 classes, but classes 3, 4, 5, 6 have no example: the network gets an output for"
                + " each. Set data.classes if that is meant, else correct the label", warning);
        assertEquals(null, DataLoader.requireExamplesOfMostClasses(inferred, DataLoader.load(
                source(DataFormat.CSV, test.toString(), Files.copy(test, dir.resolve("copy.csv")).toString(), false,
                        CSV), 1, HADOOP)),
                "every class has an example");
    }

    @Test
    void unreadableFolderIsNamed() throws IOException {
        Path locked = Files.createDirectories(dir.resolve("locked"));
        write("locked/a.csv", "1,0\n");
        assertTrue(locked.toFile().setReadable(false, false) && locked.toFile().setExecutable(false, false));
        try {
            if (Files.isReadable(locked)) {
                return; // running as root: permissions do not apply, nothing to check
            }
            IOException e = assertThrows(IOException.class, () -> loadCsv(locked.toString(), "data.path", CSV, false, HADOOP));
            assertTrue(e.getMessage().contains("locked"), e.getMessage());
        } finally {
            locked.toFile().setReadable(true, false);
            locked.toFile().setExecutable(true, false);
        }
    }

    @Test
    void imageFoldersTakeLabelsFromParentFoldersAndResize() throws IOException {
        image("train/cat/1.png", Color.WHITE, 8);
        image("train/cat/2.png", Color.WHITE, 8);
        image("train/dog/1.png", Color.BLACK, 8);
        image("train/dog/2.jpg", Color.BLACK, 6);
        image("test/dog/3.png", Color.BLACK, 4);
        write("train/notes.txt", "not an image, ignored");
        DataLoader.Parts parts = DataLoader.load(source(DataFormat.IMAGES, dir.resolve("train").toString(),
                dir.resolve("test").toString(), false, CSV), 42, HADOOP);
        assertEquals(4, parts.train().size());
        assertArrayEquals(new int[] {1, 4, 4}, parts.train().featureShape());
        assertEquals(2, parts.train().numClasses());
        // DataVec's convention: the class is the parent folder's name, classes in sorted order (cat=0, dog=1).
        int white = 0;
        for (int i = 0; i < parts.train().size(); i++) {
            float pixel = parts.train().features()[i * 16 + 5];
            int label = parts.train().labels()[i];
            if (pixel > 0.99f) {
                white++;
                assertEquals(0, label);
            }
        }
        assertEquals(2, white);
        assertArrayEquals(new int[] {1}, parts.test().labels(), "test folder 'dog' maps to the training class index");
    }

    @Test
    void imageErrorsNameTheFile() throws IOException {
        image("train/a/1.png", Color.WHITE, 4);
        write("train/b/broken.png", "this is not a png");
        IOException corrupt = assertThrows(IOException.class, () -> ImageFolderDataset.load(dir.resolve("train").toString(),
                "data.path", java.util.List.of("a", "b"), GREY_4X4, HADOOP));
        assertTrue(corrupt.getMessage().contains("broken.png is corrupt"), corrupt.getMessage());

        Path whole = dir.resolve("whole.png");
        ImageIO.write(new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB), "png", whole.toFile());
        byte[] png = Files.readAllBytes(whole);
        Files.write(dir.resolve("train/b/broken.png"), Arrays.copyOf(png, png.length / 2));
        IOException truncated = assertThrows(IOException.class, () -> ImageFolderDataset.load(
                dir.resolve("train").toString(), "data.path", java.util.List.of("a", "b"), GREY_4X4, HADOOP));
        assertTrue(truncated.getMessage().contains("broken.png is corrupt"), truncated.getMessage());

        image("test/zebra/1.png", Color.WHITE, 4);
        IOException unknown = assertThrows(IOException.class, () -> ImageFolderDataset.load(dir.resolve("test").toString(),
                "data.test-path", java.util.List.of("a", "b"), GREY_4X4, HADOOP));
        assertTrue(unknown.getMessage().contains("'zebra'"), unknown.getMessage());
    }

    @Test
    void dataSetFilesRoundTripAndCorruptFilesAreNamed() throws IOException {
        DataSet saved = new DataSet(Nd4j.rand(5, 2, 3, 3), Nd4j.create(new float[][] {{1, 0, 0}, {0, 1, 0},
                {0, 0, 1}, {1, 0, 0}, {1, 0, 0}}));
        Path file = dir.resolve("train.bin");
        try (OutputStream out = Files.newOutputStream(file)) {
            saved.save(out);
        }
        ArrayDataset data = DataSetFiles.load(file.toString(), "data.path", false, HADOOP);
        assertArrayEquals(new int[] {2, 3, 3}, data.featureShape());
        assertEquals(3, data.numClasses());
        assertArrayEquals(new int[] {0, 1, 2, 0, 0}, data.labels());
        assertEquals(saved.getFeatures(), data.toDataSet().getFeatures());

        Path garbage = write("garbage.bin", "definitely not an ND4J array");
        IOException e = assertThrows(IOException.class, () -> DataSetFiles.load(garbage.toString(), "data.path", false, HADOOP));
        assertTrue(e.getMessage().contains("garbage.bin is not a DL4J DataSet file"), e.getMessage());

        saved.getFeatures().putScalar(new long[] {3, 1, 2, 2}, Float.NaN);
        Path gap = dir.resolve("gap.bin");
        try (OutputStream out = Files.newOutputStream(gap)) {
            saved.save(out);
        }
        IOException nan = assertThrows(IOException.class, () -> DataSetFiles.load(gap.toString(), "data.path", false, HADOOP));
        assertTrue(nan.getMessage().contains("gap.bin has NaN or infinite features"), nan.getMessage());
    }

    @Test
    void dataSetClassificationLabelsMustBeOneHot() throws IOException {
        Path indices = dir.resolve("indices.bin");
        new DataSet(Nd4j.rand(4, 3), Nd4j.create(new float[][] {{0}, {1}, {9}, {2}})).save(indices.toFile());
        IOException e = assertThrows(IOException.class, () -> DataSetFiles.load(indices.toString(), "data.path", false, HADOOP));
        assertTrue(e.getMessage().contains("indices.bin has labels of shape [4, 1], which look like class indices;"
                + " classification needs them one-hot, [examples, classes]"), e.getMessage());

        Path unlabelled = dir.resolve("unlabelled.bin");
        new DataSet(Nd4j.rand(3, 3), Nd4j.create(new float[][] {{0, 1}, {0, 0}, {1, 0}})).save(unlabelled.toFile());
        IOException zero = assertThrows(IOException.class, () -> DataSetFiles.load(unlabelled.toString(), "data.path", false, HADOOP));
        assertTrue(zero.getMessage().contains("unlabelled.bin example 1 has labels [0.0, 0.0], not one-hot")
                && zero.getMessage().contains("[3, 2] labels"), zero.getMessage());

        // Regression reads the same [n, 1] values as targets.
        assertEquals(1, DataSetFiles.load(indices.toString(), "data.path", true, HADOOP).targetSize());
    }

    @Test
    void oneHotLabelsWithANegativeEntryAreRefusedThoughTheySumToOne() throws IOException {
        Path file = dir.resolve("negative.bin");
        new DataSet(Nd4j.rand(2, 3), Nd4j.create(new float[][] {{1, 0}, {1.5f, -0.5f}})).save(file.toFile());
        IOException e = assertThrows(IOException.class, () -> DataSetFiles.load(file.toString(), "data.path", false, HADOOP));
        assertTrue(e.getMessage().contains("negative.bin example 1 has labels [1.5, -0.5], not one-hot"), e.getMessage());
    }

    @Test
    void trainAndTestMustAgreeOnFeatureShape() throws IOException {
        Path train = write("train.csv", "1,2,0\n3,4,1\n");
        Path test = write("test.csv", "1,2,3,0\n");
        IOException e = assertThrows(IOException.class, () -> DataLoader.load(
                source(DataFormat.CSV, train.toString(), test.toString(), false, new DataSource.Csv(-1, 1, 0, ',')), 1, HADOOP));
        assertTrue(e.getMessage().contains("[2]") && e.getMessage().contains("[3]"), e.getMessage());
    }

    @Test
    void normaliserFittedOnTrainingDataAppliesTheSameStatisticsAfterARoundTrip() {
        ArrayDataset train = new ArrayDataset(new float[] {0, 10, 2, 30, 4, 50}, 2, new int[] {0, 1, 0}, 2);
        byte[] standardize = Normalization.fit(Normalization.Kind.STANDARDIZE, train.toDataSet());
        DataSet normalised = Normalization.apply(standardize, train.toDataSet());
        assertEquals(0, normalised.getFeatures().getColumn(0).meanNumber().doubleValue(), 1e-5);
        assertEquals(0, normalised.getFeatures().getColumn(1).meanNumber().doubleValue(), 1e-5);
        ArrayDataset other = new ArrayDataset(new float[] {2, 30}, 2, new int[] {1}, 2);
        assertEquals(0, Normalization.apply(standardize, other.toDataSet()).getFeatures().sumNumber().doubleValue(), 1e-5,
                "the training means, not the other data's, are subtracted");
        byte[] minmax = Normalization.fit(Normalization.Kind.MINMAX, train.toDataSet());
        DataSet scaled = Normalization.apply(minmax, train.toDataSet());
        assertEquals(1, scaled.getFeatures().maxNumber().doubleValue(), 1e-6);
        assertEquals(0, scaled.getFeatures().minNumber().doubleValue(), 1e-6);
        assertEquals(null, Normalization.fit(Normalization.Kind.NONE, train.toDataSet()));
    }

    @Test
    void normalisersAreAlikeWhenTheyTransformAlike() throws IOException {
        ArrayDataset train = new ArrayDataset(new float[] {0, 10, 2, 30, 4, 50}, 2, new int[] {0, 1, 0}, 2);
        byte[] standardize = Normalization.fit(Normalization.Kind.STANDARDIZE, train.toDataSet());
        assertTrue(Normalization.alike(standardize, Normalization.fit(Normalization.Kind.STANDARDIZE, train.toDataSet())));
        NormalizerStandardize fitted = (NormalizerStandardize) Normalization.restore(standardize);
        NormalizerStandardize nudged = new NormalizerStandardize(fitted.getMean().add(1e-7), fitted.getStd());
        assertTrue(Normalization.alike(standardize, Normalization.bytes(nudged)), "refitted on other hardware");
        ArrayDataset other = new ArrayDataset(new float[] {0, 10, 2, 30}, 2, new int[] {0, 1}, 2);
        assertFalse(Normalization.alike(standardize, Normalization.fit(Normalization.Kind.STANDARDIZE, other.toDataSet())));
        assertFalse(Normalization.alike(standardize, Normalization.fit(Normalization.Kind.MINMAX, train.toDataSet())));
        assertFalse(Normalization.alike(standardize, null));
        assertTrue(Normalization.alike(null, null));

        Normalization.check(standardize, "here");
        NormalizerStandardize withLabels = new NormalizerStandardize();
        withLabels.fitLabel(true);
        withLabels.fit(ArrayDataset.regression(new float[] {0, 1, 2, 3}, new int[] {2}, new float[] {5, 9}, 1).toDataSet());
        IOException labels = assertThrows(IOException.class, () -> Normalization.check(Normalization.bytes(withLabels), "m"));
        assertTrue(labels.getMessage().startsWith("m normalises the labels too"), labels.getMessage());
        IOException garbage = assertThrows(IOException.class, () -> Normalization.check(new byte[] {1, 2, 3}, "f.bin"));
        assertTrue(garbage.getMessage().startsWith("f.bin is not an ND4J NormalizerSerializer normaliser"),
                garbage.getMessage());
    }

    @Test
    void normalisersAreAlikeWithinTheToleranceOfEachStatisticAndNotBeyondIt() {
        DataSet a = new DataSet(Nd4j.create(new float[][] {{0, 10}, {2, 20}, {4, 30}}),
                Nd4j.create(new float[][] {{1, 0}, {0, 1}, {1, 0}}));
        DataSet b = new DataSet(Nd4j.create(new float[][] {{1, 10}, {3, 20}, {5, 30}}), a.getLabels());
        byte[] std = Normalization.fit(Normalization.Kind.STANDARDIZE, a);
        byte[] minMax = Normalization.fit(Normalization.Kind.MINMAX, a);
        assertFalse(Normalization.alike(null, std));
        assertFalse(Normalization.alike(std, Normalization.fit(Normalization.Kind.STANDARDIZE, b)), "other means");
        assertFalse(Normalization.alike(minMax, Normalization.fit(Normalization.Kind.MINMAX, b)), "other minima");

        // Statistics refitted elsewhere: other bytes, alike within 1e-5; not alike beyond it.
        NormalizerStandardize s = (NormalizerStandardize) Normalization.restore(std);
        s.getMean().addi(4e-6); // the statistics themselves, in place
        byte[] nudged = Normalization.bytes(s);
        assertFalse(Arrays.equals(std, nudged));
        assertTrue(Normalization.alike(std, nudged));
        s.getMean().addi(1e-3);
        assertFalse(Normalization.alike(std, Normalization.bytes(s)));
        NormalizerStandardize wider = (NormalizerStandardize) Normalization.restore(std);
        wider.getStd().muli(2);
        assertFalse(Normalization.alike(std, Normalization.bytes(wider)), "other deviations");

        NormalizerMinMaxScaler m = (NormalizerMinMaxScaler) Normalization.restore(minMax);
        m.setFeatureStats(m.getMin().add(4e-6), m.getMax());
        assertTrue(Normalization.alike(minMax, Normalization.bytes(m)));
        NormalizerMinMaxScaler range = new NormalizerMinMaxScaler(0, 2);
        range.fit(a);
        assertFalse(Normalization.alike(minMax, Normalization.bytes(range)), "another target range");
        NormalizerMinMaxScaler top = (NormalizerMinMaxScaler) Normalization.restore(minMax);
        top.setFeatureStats(top.getMin(), top.getMax().add(1));
        assertFalse(Normalization.alike(minMax, Normalization.bytes(top)), "other maxima");
    }

    @Test
    void channelsLastReordersPixels() {
        // one example, 2 channels of 1x2: c0 = (1, 2), c1 = (3, 4) -> h=1, w=2, c=2: (1, 3), (2, 4)
        ArrayDataset chw = ArrayDataset.classification(new float[] {1, 2, 3, 4}, new int[] {2, 1, 2}, new int[] {0}, 2);
        ArrayDataset hwc = chw.toChannelsLast();
        assertArrayEquals(new int[] {1, 2, 2}, hwc.featureShape());
        assertArrayEquals(new float[] {1, 3, 2, 4}, hwc.features());
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, text);
    }

    private void image(String name, Color color, int side) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        var g = img.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, side, side);
        g.dispose();
        ImageIO.write(img, name.endsWith(".jpg") ? "jpg" : "png", p.toFile());
    }
}
