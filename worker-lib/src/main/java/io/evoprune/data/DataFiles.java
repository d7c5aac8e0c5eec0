package io.evoprune.data;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.security.AccessControlException;

/** Finding data files through Hadoop's FileSystem, with errors that name the path and the key that set it. */
public final class DataFiles {
    private DataFiles() {
    }

    /**
     * {@code path}'s file system; a scheme whose connector is not on the classpath (Hadoop throws a RuntimeException
     * around ClassNotFoundException, e.g. s3a:// without hadoop-aws) is an IOException saying which jars to add,
     * so that every caller reports it as it reports an unreachable file system.
     */
    public static FileSystem fileSystem(Path path, Configuration hadoop) throws IOException {
        try {
            return path.getFileSystem(hadoop);
        } catch (RuntimeException e) {
            if (!(e.getCause() instanceof ClassNotFoundException)) {
                throw e;
            }
            throw new IOException(noConnector(path, e), e.getCause()); // the cause, for reason()
        }
    }

    /** The status of {@code location}, which must exist and be readable. */
    static FileStatus status(String location, String key, Configuration hadoop) throws IOException {
        Path path = new Path(location);
        try {
            return fileSystem(path, hadoop).getFileStatus(path);
        } catch (FileNotFoundException e) {
            throw new IOException("Data path " + location + " does not exist (key " + key + ")", e);
        } catch (AccessControlException e) {
            throw new IOException("Data path " + location + " is not readable (key " + key + "): " + e.getMessage(), e);
        } catch (IOException | IllegalArgumentException e) {
            // an unknown host (which Hadoop wraps in an IllegalArgumentException), a file system scheme without its
            // jars, a refused connection...
            throw new IOException("Data path " + location + " cannot be reached (key " + key + "): " + reason(e), e);
        }
    }

    /**
     * A file as messages show it: a local one by its path, as the user typed it (Hadoop's listing qualifies it to
     * file:/...), any other by its URI.
     */
    public static String shown(Path file) {
        java.net.URI uri = file.toUri();
        return "file".equals(uri.getScheme()) ? uri.getPath() : file.toString();
    }

    /**
     * {@code fs} without its checksum layer (file://'s): for input files, where it looks for a ".name.crc" beside each
     * file and makes a colon in the name (2024-01-01T10:00:00.png) an invalid URI, and for run files, where it wrote
     * a .crc beside each and then refused to read a file edited by hand ("Checksum error"). Run files that need a
     * check carry their own (checkpoints hold a SHA-256); other schemes (HDFS, S3) are returned as they are.
     */
    public static FileSystem withoutChecksums(FileSystem fs) {
        return fs instanceof ChecksumFileSystem checksummed ? checksummed.getRawFileSystem() : fs;
    }

    /** Why a file system could not be reached: fileSystem's own message for a missing connector, else the error. */
    public static String reason(Exception e) {
        return e.getCause() instanceof ClassNotFoundException ? e.getMessage() : e.toString();
    }

    /** Why a scheme's file system is missing, and which jars to add. */
    private static String noConnector(Path path, RuntimeException e) {
        String scheme = path.toUri().getScheme();
        return "no Hadoop file system for " + scheme + ":// on the classpath (" + e.getCause().getMessage()
                + "); add its connector jars" + ("s3a".equals(scheme) ? " (hadoop-aws and the AWS SDK bundle"
                + " of the same Hadoop version)" : "") + ", e.g. with spark-submit --packages or --jars";
    }

    /**
     * The files at {@code location}: the file itself, or every non-hidden file below the folder (recursively),
     * sorted by path so that every run reads them in the same order. Empty files and an empty folder are errors.
     */
    static List<FileStatus> files(String location, String key, Configuration hadoop) throws IOException {
        FileStatus root = status(location, key, hadoop);
        FileSystem fs = root.getPath().getFileSystem(hadoop);
        List<FileStatus> files = new ArrayList<>();
        collect(fs, root, files);
        files.sort(Comparator.comparing(f -> f.getPath().toString()));
        if (files.isEmpty()) {
            throw new IOException("Data folder " + location + " holds no files (key " + key + ")");
        }
        for (FileStatus f : files) {
            if (f.getLen() == 0) {
                throw new IOException("Data file " + f.getPath() + " is empty (key " + key + ")");
            }
        }
        return files;
    }

    private static void collect(FileSystem fs, FileStatus status, List<FileStatus> out) throws IOException {
        if (status.isFile()) {
            out.add(status);
            return;
        }
        FileStatus[] children;
        try {
            children = fs.listStatus(status.getPath());
        } catch (AccessControlException e) {
            throw new IOException("Data folder " + status.getPath() + " is not readable: " + e.getMessage(), e);
        }
        for (FileStatus child : children) {
            String name = child.getPath().getName();
            if (!name.startsWith(".") && !name.startsWith("_")) {
                collect(fs, child, out);
            }
        }
    }
}
