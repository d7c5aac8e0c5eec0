package io.evoprune.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;

/**
 * The JSON of a run's files. JSON has no NaN: a number that does not apply or was never measured (a regression
 * run's accuracy, the output difference of a rebuild that did not happen) is written {@code null}, which every
 * JSON reader (jq, pandas, a browser) takes as missing, where Jackson's default, the string "NaN", turns a numeric
 * column into text. A {@code null} read back into a {@code double} is NaN again.
 */
public final class RunJson {
    private RunJson() {
    }

    /** A new mapper with that convention; a mapper is thread-safe once configured, so callers keep one. */
    public static ObjectMapper mapper() {
        SimpleModule module = new SimpleModule("evoprune-run-files")
                .addSerializer(Double.TYPE, new FiniteOrNull())
                .addSerializer(Double.class, new FiniteOrNull())
                .addDeserializer(Double.TYPE, new NumberDeserializers.DoubleDeserializer(Double.TYPE, Double.NaN));
        return new ObjectMapper().registerModule(module);
    }

    private static final class FiniteOrNull extends StdSerializer<Double> {
        FiniteOrNull() {
            super(Double.class);
        }

        @Override
        public void serialize(Double value, JsonGenerator out, SerializerProvider provider) throws IOException {
            if (Double.isFinite(value)) {
                out.writeNumber(value);
            } else {
                out.writeNull();
            }
        }
    }
}
