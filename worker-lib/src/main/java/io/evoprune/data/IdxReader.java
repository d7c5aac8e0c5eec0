package io.evoprune.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads MNIST-format IDX files (unsigned bytes; gzip-compressed or raw, told apart by their magic number)
 * through Hadoop's FileSystem, so local, HDFS and S3 paths all work.
 */
public final class IdxReader {
    private IdxReader() {
    }

    /** The raw IDX content: dimensions and the unsigned bytes as ints 0..255, flattened. */
    public record Idx(int[] dims, byte[] data) {
        public int count() {
            return dims[0];
        }

        public int itemSize() {
            int n = 1;
            for (int i = 1; i < dims.length; i++) {
                n *= dims[i];
            }
            return n;
        }
    }

    public static Idx read(Path path, Configuration hadoop) throws IOException {
        FileSystem fs = path.getFileSystem(hadoop);
        try (InputStream raw = new BufferedInputStream(fs.open(path))) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            InputStream in = (b0 == 0x1f && b1 == 0x8b) ? new GZIPInputStream(raw, 1 << 16) : raw;
            return parse(new DataInputStream(in), path);
        } catch (EOFException e) {
            throw new IOException("IDX file " + path + " is truncated", e);
        }
    }

    private static Idx parse(DataInputStream in, Path path) throws IOException {
        int magic = in.readInt();
        int type = (magic >>> 8) & 0xff;
        int rank = magic & 0xff;
        if ((magic >>> 16) != 0 || type != 0x08 || rank < 1 || rank > 4) {
            throw new IOException("File " + path + " is not an IDX file of unsigned bytes (magic 0x"
                    + Integer.toHexString(magic) + ")");
        }
        int[] dims = new int[rank];
        long total = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = in.readInt();
            // Saturated just past the largest array, so that four large dimensions cannot wrap around.
            total = Math.min(total * Math.max(dims[i], 0), Integer.MAX_VALUE + 1L);
        }
        if (dims[0] == 0) {
            throw new IOException("IDX file " + path + " holds no examples (key data.path)");
        }
        if (java.util.Arrays.stream(dims).anyMatch(d -> d <= 0) || total > Integer.MAX_VALUE - 8) { // the JVM's limit
            throw new IOException("IDX file " + path + " has unusable dimensions " + java.util.Arrays.toString(dims));
        }
        // Read as the bytes come, not allocated from the header at once: a corrupt header on a small file is
        // truncation, not an out-of-memory error.
        byte[] data = in.readNBytes((int) total);
        if (data.length < total) {
            throw new IOException("IDX file " + path + " is truncated: its header " + java.util.Arrays.toString(dims)
                    + " promises " + total + " bytes of values, it holds " + data.length);
        }
        return new Idx(dims, data);
    }
}
