package io.evoprune.checkpoint;

import static io.evoprune.config.EvaluationKeys.EVAL_MAX_FAILED;
import static io.evoprune.config.EvaluationKeys.EVAL_PARTITIONS;

import io.evoprune.config.Settings;
import io.evoprune.job.BadInputException;
import io.evoprune.report.RunDirectory;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;

/**
 * The configuration of a resumed run: the run's own saved config.properties, so that it goes on exactly as it
 * began. Only keys that change no evaluation and no search decision may be given again with a new value; any
 * other key may be repeated only with its saved value, and anything else is refused with the reason.
 */
public final class ResumeSettings {
    /** Keys a resumed run may change: how evaluations are packed into tasks, and when to give up on failures. */
    public static final Set<String> CHANGEABLE = Set.of(EVAL_PARTITIONS.name(), EVAL_MAX_FAILED.name());

    private ResumeSettings() {
    }

    /** Opens the interrupted run at {@code location}; a missing, complete or foreign directory is bad input. */
    public static RunDirectory reopen(String location, Configuration hadoop) {
        try {
            return RunDirectory.reopen(location, hadoop);
        } catch (IOException | IllegalStateException e) {
            throw new BadInputException("Cannot resume " + location + ": " + e.getMessage(), e);
        }
    }

    /**
     * The run's saved settings, as the file holds them now; keys this version does not know are errors naming the
     * file. A resume whose file was edited since in a way that changes the result is refused by the checkpoint,
     * which carries the settings it was written with.
     */
    public static Settings saved(RunDirectory run) {
        Properties props;
        try {
            props = run.readConfiguration();
        } catch (IOException e) {
            throw new BadInputException("Cannot read " + run.file(RunDirectory.CONFIGURATION) + ": " + e.getMessage(), e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        props.stringPropertyNames().forEach(k -> values.put(k, props.getProperty(k)));
        try {
            return Settings.defaults().with(values, "saved configuration " + run.file(RunDirectory.CONFIGURATION));
        } catch (IllegalArgumentException e) { // an unknown key, a key typed by hand into the file
            throw new BadInputException(e.getMessage(), e);
        }
    }

    /** {@code saved} with {@code overrides} from {@code source}, refusing any that would change the result. */
    public static Settings override(Settings saved, Map<String, String> overrides, String source) {
        Map<String, String> accepted = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            String key = e.getKey().trim();
            String value = e.getValue().trim();
            if (CHANGEABLE.contains(key)) {
                accepted.put(key, value);
            } else if (saved.asMap().containsKey(key) && !saved.string(key).equals(value)) {
                throw new IllegalArgumentException(key + " cannot change when a run resumes (" + source + " sets '" + value
                        + "', the run has '" + saved.string(key) + "'): it would change the result. A resumed run "
                        + "may change only " + new TreeSet<>(CHANGEABLE) + "; start a new run to change anything else");
            }
        }
        // Unknown keys still get Settings' own error, with its suggestion.
        Map<String, String> unknown = new LinkedHashMap<>(overrides);
        unknown.keySet().removeIf(k -> saved.asMap().containsKey(k.trim()));
        return saved.with(unknown, source).with(accepted, source);
    }
}
