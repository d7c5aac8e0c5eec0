package io.evoprune.data;

import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.security.UserGroupInformation;

/**
 * Where a dataset is and how to read it.
 *
 * @param format     the storage format
 * @param path       IDX: the folder holding both parts; otherwise the training data (file or folder)
 * @param testPath   the test data for csv, images and dataset; empty for idx (its folder holds both parts)
 * @param regression real-valued targets (MSE) instead of classes
 * @param classes    number of classes; 0 = one more than the largest label found
 * @param shuffle    shuffle the training examples before the splits are cut (test examples keep their order)
 * @param csv        CSV reading options (format csv)
 * @param images     image decoding options (format images)
 */
public record DataSource(DataFormat format, String path, String testPath, boolean regression, int classes,
                         boolean shuffle, Csv csv, Images images) implements Serializable {
    /** The NameNode's port where an hdfs:// location names none (HdfsClientConfigKeys' default). */
    private static final int HDFS_PORT = 8020;

    /**
     * @param labelColumn first label column (0-based); negative counts from the end (-1 = last)
     * @param targets     label columns: 1 for classification; regression may use several consecutive ones
     * @param skipLines   header lines to skip
     * @param delimiter   field separator
     */
    public record Csv(int labelColumn, int targets, int skipLines, char delimiter) implements Serializable {
        public Csv {
            if (targets < 1) {
                throw new IllegalArgumentException("data.csv.target-count must be at least 1, but was " + targets);
            }
            if (skipLines < 0) {
                throw new IllegalArgumentException("data.csv.skip-lines must be at least 0, but was " + skipLines);
            }
        }
    }

    /** Images are scaled to {@code height x width} and read as {@code channels} (1 = grey, 3 = RGB) values in [0, 1]. */
    public record Images(int height, int width, int channels) implements Serializable {
        public Images {
            if (height < 1 || width < 1) {
                throw new IllegalArgumentException("data.images.height and data.images.width must be at least 1, but were "
                        + height + " and " + width);
            }
            if (channels != 1 && channels != 3) {
                throw new IllegalArgumentException("data.images.channels must be 1 (grey) or 3 (RGB), but was " + channels);
            }
        }
    }

    public DataSource {
        if (path.isBlank()) {
            throw new IllegalArgumentException("data.path must name the data, but was empty");
        }
        if (format == DataFormat.IDX && !testPath.isBlank()) {
            throw new IllegalArgumentException("data.test-path must be empty for data.format=idx (the folder at data.path "
                    + "holds train-* and t10k-* files), but was '" + testPath + "'");
        }
        if (format != DataFormat.IDX && testPath.isBlank()) {
            throw new IllegalArgumentException("data.test-path must name the test data for data.format="
                    + format.configName() + ", but was empty: only an idx folder holds its test part beside the"
                    + " training data at data.path (evaluate's and apply's --data)");
        }
        if (regression && (format == DataFormat.IDX || format == DataFormat.IMAGES)) {
            throw new IllegalArgumentException("data.task=regression needs data.format csv or dataset; "
                    + format.configName() + " data carries class labels");
        }
        if (classes < 0 || classes == 1) {
            throw new IllegalArgumentException("data.classes must be 0 (infer) or at least 2, but was " + classes);
        }
    }

    /**
     * Refuses a test part that is, or lies inside, the training data (or holds it), for a command that trains on the
     * training part and reports the test part: the test would measure examples the network was trained on. Scoring
     * alone (evaluate) may read one file as both. Paths without a scheme are on {@code hadoop}'s default file system.
     */
    public void requireApart(Configuration hadoop) {
        if (format != DataFormat.IDX && overlap(path, testPath, FileSystem.getDefaultUri(hadoop), working(hadoop))) {
            throw new IllegalArgumentException("data.test-path '" + testPath + "' and data.path '" + path + "' overlap:"
                    + " the test data would be read as training data too (or the reverse), and a test of examples"
                    + " the network trained on measures nothing; keep the test data apart from the training data");
        }
    }

    /** The same location, or one inside the other (a folder is read whole, its subfolders included). */
    static boolean overlap(String a, String b, URI defaultFs, String working) {
        String x = location(a, defaultFs, working);
        String y = location(b, defaultFs, working);
        return x.equals(y) || x.startsWith(y.endsWith("/") ? y : y + "/") || y.startsWith(x.endsWith("/") ? x : x + "/");
    }

    /**
     * A location as Hadoop would read it, compared without contacting any file system: qualified with the default
     * file system, HDFS's default port filled in, the host's case ignored, a local path normalised.
     */
    private static String location(String p, URI defaultFs, String working) {
        try {
            URI uri = new Path(p).makeQualified(defaultFs, new Path(working)).toUri();
            String scheme = uri.getScheme() == null ? "file" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            String path = scheme.equals("file")
                    ? java.nio.file.Path.of(uri.getPath()).toAbsolutePath().normalize().toString() : uri.getPath();
            String host = uri.getHost() == null ? uri.getAuthority() : uri.getHost().toLowerCase(java.util.Locale.ROOT);
            int port = uri.getPort() < 0 && scheme.equals("hdfs") && uri.getHost() != null ? HDFS_PORT : uri.getPort();
            return scheme + "://" + (host == null ? "" : host) + (port < 0 ? "" : ":" + port) + path;
        } catch (IllegalArgumentException e) { // Hadoop's Path or the local one (InvalidPathException)
            return p; // not a path Hadoop reads: reading it fails later, naming it
        }
    }

    /**
     * Where relative paths are read: the working directory, locally; on another default file system the home folder
     * of the user Hadoop acts as (HADOOP_USER_NAME, a Kerberos principal, a proxy user: not necessarily the JVM's
     * user.name), by DistributedFileSystem's rule, without contacting the name node.
     */
    private static String working(Configuration hadoop) {
        String scheme = FileSystem.getDefaultUri(hadoop).getScheme();
        if (scheme == null || scheme.equals("file")) {
            return new java.io.File("").getAbsolutePath();
        }
        String user;
        try {
            user = UserGroupInformation.getCurrentUser().getShortUserName();
        } catch (IOException e) { // no login: reading the data fails too, naming why
            user = System.getProperty("user.name");
        }
        return hadoop.get("dfs.user.home.dir.prefix", "/user") + "/" + user;
    }

    /** Where the test part is read: data.test-path, or for IDX data.path (its t10k-* files sit beside train-*). */
    public String testLocation() {
        return format == DataFormat.IDX ? path : testPath;
    }
}
