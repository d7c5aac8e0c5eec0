package io.evoprune.rebuild;

import io.evoprune.data.Normalization;
import io.evoprune.model.ModelFiles;
import io.evoprune.model.Network;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;

/** The rebuilt model as files a plain DL4J program can use, and a summary people can read. */
public final class RebuildExport {
    private RebuildExport() {
    }

    /**
     * The model as a ModelSerializer zip, updater state included, with the normaliser its inputs need bundled
     * in (restore it with {@code ModelSerializer.restoreNormalizerFromInputStream}); {@code normalizer} may be
     * null when the data is used as read.
     */
    public static byte[] modelZip(Network model, DataNormalization normalizer) throws IOException {
        return ModelFiles.zip(model, normalizer == null ? null : Normalization.bytes(normalizer));
    }

    /** Layer by layer: inputs and units before and after, parameters before and after. */
    public static String summary(List<LayerChange> layers) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-16s %-20s %15s %15s %21s%n",
                "layer", "type", "inputs", "units", "parameters"));
        long before = 0;
        long after = 0;
        for (LayerChange c : layers) {
            sb.append(String.format(Locale.ROOT, "%-16s %-20s %15s %15s %21s%s%n", c.name(), c.type(),
                    c.inputsBefore() + " -> " + c.inputsAfter(), c.unitsBefore() + " -> " + c.unitsAfter(),
                    c.parametersBefore() + " -> " + c.parametersAfter(), c.changed() ? "" : "   (unchanged)"));
            before += c.parametersBefore();
            after += c.parametersAfter();
        }
        sb.append(String.format(Locale.ROOT, "total parameters %,d -> %,d (%.1f%% kept)%n", before, after,
                100.0 * after / before));
        return sb.toString();
    }
}
