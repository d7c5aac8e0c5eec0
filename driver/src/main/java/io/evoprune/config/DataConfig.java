package io.evoprune.config;

import static io.evoprune.config.DataKeys.*;

import io.evoprune.data.DataFormat;
import io.evoprune.data.DataSource;
import io.evoprune.data.Normalization;
import io.evoprune.evaluation.Checks;

/** Where the data is, how it is read, how it is split and normalised. */
public record DataConfig(DataSource source, int fineTuneSize, int validationSize, int testSize,
                         Normalization.Kind normalization) {
    public DataConfig {
        Checks.atLeast(DATA_FINETUNE_SIZE.name(), fineTuneSize, 0);
        Checks.atLeast(DATA_VALIDATION_SIZE.name(), validationSize, 1);
        Checks.atLeast(DATA_TEST_SIZE.name(), testSize, 0);
    }

    /** Where the (training) data is: data.path. */
    public String path() {
        return source.path();
    }

    public boolean regression() {
        return source.regression();
    }

    static DataConfig from(Settings s) {
        String task = s.string(DATA_TASK.name());
        if (!task.equals("classification") && !task.equals("regression")) {
            throw new IllegalArgumentException(DATA_TASK.name() + " must be classification or regression, but was '"
                    + task + "'");
        }
        DataFormat format = DataFormat.parse(DATA_FORMAT.name(), s.string(DATA_FORMAT.name()));
        DataSource source = new DataSource(format, s.string(DATA_PATH.name()), s.string(DATA_TEST_PATH.name()),
                task.equals("regression"), s.integer(DATA_CLASSES.name()), shuffle(s.string(DATA_SHUFFLE.name()), format),
                new DataSource.Csv(s.integer(DATA_CSV_LABEL_COLUMN.name()), s.integer(DATA_CSV_TARGETS.name()),
                        s.integer(DATA_CSV_SKIP.name()), delimiter(s.string(DATA_CSV_DELIMITER.name()))),
                new DataSource.Images(s.integer(DATA_IMAGES_HEIGHT.name()), s.integer(DATA_IMAGES_WIDTH.name()),
                        s.integer(DATA_IMAGES_CHANNELS.name())));
        if (!source.regression() && source.csv().targets() != 1) {
            throw new IllegalArgumentException(DATA_CSV_TARGETS.name() + " must be 1 for classification, but was "
                    + source.csv().targets());
        }
        return new DataConfig(source, s.integer(DATA_FINETUNE_SIZE.name()), s.integer(DATA_VALIDATION_SIZE.name()),
                s.integer(DATA_TEST_SIZE.name()),
                Normalization.Kind.parse(DATA_NORMALIZE.name(), s.string(DATA_NORMALIZE.name())));
    }

    private static boolean shuffle(String value, DataFormat format) {
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "auto" -> format == DataFormat.IMAGES;
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(DATA_SHUFFLE.name() + " must be auto, true or false, but was '"
                    + value + "'");
        };
    }

    private static char delimiter(String value) {
        if (value.equals("tab") || value.equals("\\t")) {
            return '\t';
        }
        if (value.equals("space")) {
            return ' ';
        }
        if (value.length() != 1) {
            throw new IllegalArgumentException(DATA_CSV_DELIMITER.name() + " must be one character, 'tab' or 'space', but was '"
                    + value + "'");
        }
        return value.charAt(0);
    }
}
