package io.evoprune.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.evoprune.mask.Granularity;
import io.evoprune.mask.Mask;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.report.MaskReport;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import io.evoprune.mask.MaskSettings;
import io.evoprune.model.Network;
import java.util.ArrayList;

/** A saved mask (best-mask.json of a run, {@link MaskReport}) read back and checked against a model. */
public final class MaskFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MaskFile() {
    }

    /** The granularity the file was saved with, so that the model's layout can be built to check it against. */
    public static MaskReport read(String location, Configuration hadoop) {
        Path path = new Path(location);
        try (InputStream in = path.getFileSystem(hadoop).open(path)) {
            MaskReport report = JSON.readValue(in, MaskReport.class);
            if (report.bits() == null || report.layers() == null || report.granularity() == null) {
                throw new BadInputException("Mask file " + location + " lacks 'granularity', 'layers' or 'bits' "
                        + "(expected the best-mask.json of a run)");
            }
            Granularity.parse("granularity in mask file " + location, report.granularity());
            return report;
        } catch (IOException e) {
            throw new BadInputException("Mask file " + location + " cannot be read as a mask (the best-mask.json of "
                    + "a run): " + e.getMessage(), e);
        }
    }

    /** The layout the file was saved over: its granularity, restricted to the layers it names. */
    public static MaskSettings settings(MaskReport report, String location) {
        List<String> layers = new ArrayList<>();
        report.layers().forEach(l -> layers.addAll(l.layers() == null ? List.of(l.name()) : l.layers()));
        return new MaskSettings(Granularity.parse("granularity in mask file " + location, report.granularity()),
                layers, List.of(), 0);
    }

    /** The mask, after checking that every layer of the file matches the model's layer of the same place. */
    public static Mask check(MaskReport report, String maskFile, PrunableLayout layout, Network model,
                             String modelFile) {
        List<PrunableLayout.Segment> segments = layout.segments();
        if (report.layers().size() != segments.size()) {
            throw new BadInputException("Mask file " + maskFile + " covers " + report.layers().size()
                    + " layers but model " + modelFile + " has " + segments.size() + " prunable layers ("
                    + layout.granularity().configName() + "): " + describe(layout, model));
        }
        for (int i = 0; i < segments.size(); i++) {
            PrunableLayout.Segment s = segments.get(i);
            MaskReport.LayerMask l = report.layers().get(i);
            if (!s.name().equals(l.name()) || s.units() != l.units()) {
                throw new BadInputException("Mask file " + maskFile + " has layer " + l.name() + " with " + l.units()
                        + " units where model " + modelFile + " has layer " + s.name() + " with " + s.units()
                        + " units (weights " + shape(model, s.producers().get(0)) + ")");
            }
        }
        Mask mask;
        try {
            mask = Mask.parse(report.bits());
        } catch (IllegalArgumentException e) {
            throw new BadInputException("Mask file " + maskFile + ": " + e.getMessage(), e);
        }
        if (mask.length() != layout.units()) {
            throw new BadInputException("Mask file " + maskFile + " has " + mask.length() + " bits but model "
                    + modelFile + " has " + layout.units() + " prunable units: " + describe(layout, model));
        }
        if (mask.keptCount() != report.kept()) {
            throw new BadInputException("Mask file " + maskFile + " says " + report.kept() + " units are kept but its "
                    + "bits keep " + mask.keptCount() + "; the file is damaged");
        }
        if (layout.granularity() != Granularity.WEIGHT) {
            for (PrunableLayout.Segment s : segments) {
                if (mask.keptCount(s.offset(), s.offset() + s.units()) == 0) {
                    throw new BadInputException("Mask file " + maskFile + " keeps none of the " + s.units() + " "
                            + layout.granularity().configName() + "s of layer " + s.name()
                            + "; a pruned network needs at least one in every layer");
                }
            }
        }
        return mask;
    }

    private static String describe(PrunableLayout layout, Network model) {
        StringBuilder sb = new StringBuilder();
        for (PrunableLayout.Segment s : layout.segments()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(s.name()).append(" ").append(s.units())
                    .append(" (weights ").append(shape(model, s.producers().get(0))).append(")");
        }
        return sb.toString();
    }

    private static String shape(Network model, String layer) {
        var w = model.param(layer, "W");
        return w == null ? "none" : Arrays.toString(w.shape());
    }
}
