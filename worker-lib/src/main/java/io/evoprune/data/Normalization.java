package io.evoprune.data;

import io.evoprune.evaluation.Checks;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.nd4j.linalg.dataset.api.preprocessor.ImagePreProcessingScaler;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerMinMaxScaler;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.dataset.api.preprocessor.VGG16ImagePreProcessor;
import org.nd4j.linalg.dataset.api.preprocessor.serializer.NormalizerSerializer;

/**
 * Feature normalisation fitted on training data only and carried as ND4J's {@link NormalizerSerializer} bytes:
 * the same bytes are saved with the run and travel in the broadcast, so the driver and every executor apply
 * exactly the same statistics. Targets are left as they are, so MSE and MAE stay in the data's units.
 */
public final class Normalization {
    /** The kinds a user can choose. */
    public enum Kind {
        NONE, STANDARDIZE, MINMAX;

        public static Kind parse(String key, String value) {
            return Checks.choice(Kind.class, key, value);
        }
    }

    /**
     * The saved kinds evoprune restores: ND4J's single-input normalisers. Never CUSTOM (restoring one instantiates a
     * class the file names) nor the MULTI_* kinds of multi-input graphs (evoprune's data has one input).
     */
    private static final Set<String> READABLE = Set.of("STANDARDIZE", "MIN_MAX", "IMAGE_MIN_MAX", "IMAGE_VGG16");
    /** Statistics refitted on other hardware may differ in their last bits. */
    private static final double SAME_EPS = 1e-5;

    private Normalization() {
    }

    /** Fits {@code kind} on {@code train} (features only); null for {@link Kind#NONE}. */
    public static byte[] fit(Kind kind, DataSet train) {
        DataNormalization normalizer = switch (kind) {
            case NONE -> null;
            case STANDARDIZE -> new NormalizerStandardize();
            case MINMAX -> new NormalizerMinMaxScaler(0, 1);
        };
        if (normalizer == null) {
            return null;
        }
        normalizer.fit(train);
        return bytes(normalizer);
    }

    /** {@code normalizer} in the NormalizerSerializer format (what ModelSerializer bundles as normalizer.bin). */
    public static byte[] bytes(DataNormalization normalizer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            NormalizerSerializer.getDefault().write(normalizer, out);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot serialise the normaliser", e);
        }
        return out.toByteArray();
    }

    /** Checks that {@code bytes}, a model's bundled normaliser read from {@code where}, can be applied. */
    public static void check(byte[] bytes, String where) throws IOException {
        check(bytes, where, null);
    }

    /**
     * Checks that {@code bytes}, read from {@code where}, are a normaliser evoprune can apply, or says why not;
     * {@code fix}: what to do about an unreadable file, or null for a model's bundled one (bundle it again).
     */
    public static void check(byte[] bytes, String where, String fix) throws IOException {
        String type;
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (!in.readUTF().equals("NORMALIZER")) {
                throw new IOException("no NormalizerSerializer header");
            }
            in.readInt();
            type = in.readUTF();
        } catch (IOException e) {
            throw new IOException(where + " is not an ND4J NormalizerSerializer normaliser (" + e.getMessage()
                    + (fix != null ? "): " + fix : "; DL4J before 1.0 wrote Java-serialised ones, which evoprune does"
                    + " not read): bundle it again with ModelSerializer.addNormalizerToModel, or remove normalizer.bin"
                    + " from the zip to use the model without it"), e);
        }
        if (!READABLE.contains(type)) {
            throw new IOException(where + " is a " + type + " normaliser; evoprune applies only " + READABLE
                    + (type.startsWith("MULTI") ? " (its data has a single input)" : "")
                    + (type.equals("CUSTOM") ? " (restoring a custom one would load a class the file names)" : ""));
        }
        DataNormalization restored;
        try {
            restored = restore(bytes);
        } catch (IllegalStateException e) {
            throw new IOException(where + " " + e.getMessage() + "; " + (fix != null ? fix
                    : "bundle it again with ModelSerializer.addNormalizerToModel"), e);
        }
        if (restored instanceof org.nd4j.linalg.dataset.api.preprocessor.AbstractDataSetNormalizer<?> n && n.isFitLabel()) {
            throw new IOException(where + " normalises the labels too (fitLabel); evoprune keeps targets as they are,"
                    + " so MSE and MAE stay in the data's units: bundle one fitted on the features only");
        }
    }

    /**
     * Whether two saved normalisers transform alike: the same bytes, or the same fitted kind whose statistics agree
     * to 1e-5 (the same data refitted on another machine).
     */
    public static boolean alike(byte[] a, byte[] b) {
        if (a == null || b == null || Arrays.equals(a, b)) {
            return Arrays.equals(a, b);
        }
        DataNormalization x = restore(a);
        DataNormalization y = restore(b);
        if (x instanceof NormalizerStandardize s && y instanceof NormalizerStandardize t) {
            return s.getMean().equalsWithEps(t.getMean(), SAME_EPS) && s.getStd().equalsWithEps(t.getStd(), SAME_EPS);
        }
        if (x instanceof NormalizerMinMaxScaler s && y instanceof NormalizerMinMaxScaler t) {
            return s.getTargetMin() == t.getTargetMin() && s.getTargetMax() == t.getTargetMax()
                    && s.getMin().equalsWithEps(t.getMin(), SAME_EPS) && s.getMax().equalsWithEps(t.getMax(), SAME_EPS);
        }
        return false;
    }

    /**
     * The normaliser {@code bytes} hold; unreadable ones throw an IllegalStateException whose message ("cannot be
     * restored: ...") follows the name of where the bytes came from, which the caller knows.
     */
    public static DataNormalization restore(byte[] bytes) {
        try {
            return NormalizerSerializer.getDefault().restore(new ByteArrayInputStream(bytes));
        } catch (Exception e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            // ND4J wraps the EOFException of a cut-off file twice; say what it means
            throw new IllegalStateException("cannot be restored: " + (root instanceof java.io.EOFException
                    ? "it ends before its statistics do (truncated)" : "it is corrupt (" + root + ")"), e);
        }
    }

    /**
     * What puts data of {@code format} in the units {@code bytes}'s normaliser expects. IDX files and image folders
     * are read into [0, 1], but an image normaliser (ImagePreProcessingScaler, VGG16ImagePreProcessor) is fitted to
     * pixels as the image files hold them, 0 to 255 for 8 bits: applied to [0, 1] it would scale them twice. Other
     * formats and normalisers take the data as they are.
     */
    public static UnaryOperator<ArrayDataset> toNormaliserUnits(byte[] bytes, DataFormat format) {
        if (bytes == null || (format != DataFormat.IDX && format != DataFormat.IMAGES)) {
            return UnaryOperator.identity();
        }
        DataNormalization normalizer = restore(bytes);
        float pixelMax = normalizer instanceof ImagePreProcessingScaler scaler ? (float) scaler.getMaxPixelVal()
                : normalizer instanceof VGG16ImagePreProcessor ? 255f : 1f;
        return pixelMax == 1f ? UnaryOperator.identity() : data -> data.withFeaturesTimes(pixelMax);
    }

    /** Normalises {@code data}'s features in place with the fitted statistics; no-op when {@code bytes} is null. */
    public static DataSet apply(byte[] bytes, DataSet data) {
        if (bytes != null) {
            try {
                restore(bytes).transform(data);
            } catch (IllegalStateException e) { // ND4J's broadcast of statistics of another width
                throw new IllegalArgumentException("the normaliser (normalizer.bin) does not fit the data's "
                        + "examples of shape " + Arrays.toString(Arrays.copyOfRange(data.getFeatures().shape(), 1,
                        data.getFeatures().rank())) + ": " + e.getMessage(), e);
            }
        }
        return data;
    }
}
