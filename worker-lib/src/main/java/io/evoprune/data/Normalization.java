package io.evoprune.data;

import io.evoprune.evaluation.Checks;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerMinMaxScaler;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
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
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            NormalizerSerializer.getDefault().write(normalizer, out);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot serialise the fitted normaliser", e);
        }
        return out.toByteArray();
    }

    public static DataNormalization restore(byte[] bytes) {
        try {
            return NormalizerSerializer.getDefault().restore(new ByteArrayInputStream(bytes));
        } catch (Exception e) {
            throw new IllegalStateException("Cannot restore the run's normaliser: " + e.getMessage(), e);
        }
    }

    /** Normalises {@code data}'s features in place with the fitted statistics; no-op when {@code bytes} is null. */
    public static DataSet apply(byte[] bytes, DataSet data) {
        if (bytes != null) {
            restore(bytes).transform(data);
        }
        return data;
    }
}
