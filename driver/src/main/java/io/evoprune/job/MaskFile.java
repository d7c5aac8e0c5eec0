package io.evoprune.job;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.evoprune.data.DataFiles;
import io.evoprune.mask.Granularity;
import io.evoprune.mask.LayerGraph;
import io.evoprune.mask.Mask;
import io.evoprune.mask.PrunableLayout;
import io.evoprune.report.MaskReport;
import io.evoprune.report.RunJson;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import io.evoprune.mask.MaskSettings;
import io.evoprune.model.Network;
import java.util.ArrayList;

/** A saved mask (best-mask.json of a run, {@link MaskReport}) read back and checked against a model. */
public final class MaskFile {
    private static final ObjectMapper JSON = RunJson.mapper();
    private static final List<String> REQUIRED = List.of("granularity", "kept", "layers", "bits");
    /** What to do about fields that disagree: the bits are the mask applied (docs/rebuild.md, editing a mask). */
    private static final String EDITED = ". 'bits' is the mask applied: after changing it, set 'kept' to its count of"
            + " 1s and fix or delete the layers' 'keptIndices'; otherwise the file is damaged";

    private MaskFile() {
    }

    /** The granularity the file was saved with, so that the model's layout can be built to check it against. */
    public static MaskReport read(String location, Configuration hadoop) {
        try (InputStream in = open(location, hadoop)) {
            JsonNode tree = JSON.readTree(in);
            List<String> missing = new ArrayList<>();
            for (String field : REQUIRED) {
                if (tree == null || !tree.hasNonNull(field)) {
                    missing.add("'" + field + "'");
                }
            }
            if (!missing.isEmpty()) {
                throw new BadInputException("Mask file " + location + " lacks " + String.join(", ", missing)
                        + " (expected the best-mask.json of a run)");
            }
            for (JsonNode layer : tree.get("layers")) {
                if (!layer.hasNonNull("name") || !layer.hasNonNull("units")) {
                    throw new BadInputException("Mask file " + location + " has a layer without 'name' or 'units': "
                            + layer + " (expected the best-mask.json of a run)");
                }
            }
            MaskReport report = JSON.treeToValue(tree, MaskReport.class);
            try {
                Granularity.parse("granularity", report.granularity());
            } catch (IllegalArgumentException e) {
                throw new BadInputException("Mask file " + location + ": " + e.getMessage(), e);
            }
            return report;
        } catch (JsonMappingException e) {
            throw new BadInputException("Mask file " + location + " has a value of the wrong kind at '" + field(e)
                    + "': " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new BadInputException("Mask file " + location + " is not valid JSON: " + e.getOriginalMessage()
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"), e);
        } catch (IOException e) {
            throw new BadInputException("Mask file " + location + " cannot be read as a mask (the best-mask.json of "
                    + "a run): " + e.getMessage(), e);
        }
    }

    /** Hadoop's Path and file systems answer a location they cannot use (e.g. "m:1", an unknown host) with an IAE. */
    private static InputStream open(String location, Configuration hadoop) throws IOException {
        try {
            Path path = new Path(location);
            org.apache.hadoop.fs.FileSystem fs;
            try {
                fs = DataFiles.withoutChecksums(DataFiles.fileSystem(path, hadoop));
            } catch (IOException e) { // no connector for its scheme: the file is not at fault
                throw new BadInputException("Mask file " + location + " cannot be reached: " + e.getMessage(), e);
            }
            return fs.open(path);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("Mask file '" + location + "' is not a location that can be read: "
                    + e.getMessage(), e);
        }
    }

    /** Where in the file a mapping error is, as {@code layers[1].units}. */
    private static String field(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    /** The layout the file was saved over: its granularity, restricted to the layers it names. */
    public static MaskSettings settings(MaskReport report, String location) {
        List<String> layers = new ArrayList<>();
        report.layers().forEach(l -> layers.addAll(l.layers() == null ? List.of(l.name()) : l.layers()));
        return new MaskSettings(Granularity.parse("granularity in mask file " + location, report.granularity()),
                layers, List.of(), 0);
    }

    /**
     * Refuses a file naming layers {@code model} lacks, or cannot prune at the file's granularity: the layout built
     * from it would blame mask.layers.include, a key the user never set.
     */
    public static void requireLayers(MaskReport report, String maskFile, Network model, String modelFile) {
        List<String> layers = model.layerNames();
        MaskSettings saved = settings(report, maskFile);
        List<String> unknown = saved.include().stream().filter(l -> !layers.contains(l)).toList();
        if (!unknown.isEmpty()) {
            throw new BadInputException("Mask file " + maskFile + " names layers " + unknown + " that model "
                    + modelFile + " does not have; its layers are " + layers);
        }
        LayerGraph graph = LayerGraph.of(model.configuration());
        for (String layer : saved.include()) {
            String why = PrunableLayout.unsupported(graph, layer, saved.granularity());
            if (why != null) {
                throw new BadInputException("Mask file " + maskFile + " (granularity '" + report.granularity()
                        + "') does not fit model " + modelFile + ": layer '" + layer + "' cannot be pruned at that"
                        + " granularity: " + why + "; was the mask made for another model?");
            }
        }
    }

    /** The mask, after checking that every layer of the file matches the model's layer of the same place. */
    public static Mask check(MaskReport report, String maskFile, PrunableLayout layout, Network model,
                             String modelFile) {
        requireBase(report, maskFile, model, modelFile);
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
                    + "bits keep " + mask.keptCount() + EDITED);
        }
        for (int i = 0; i < segments.size(); i++) {
            PrunableLayout.Segment s = segments.get(i);
            List<Integer> listed = report.layers().get(i).keptIndices();
            if (listed != null) {
                List<Integer> kept = new ArrayList<>();
                for (int u = 0; u < s.units(); u++) {
                    if (mask.isKept(s.offset() + u)) {
                        kept.add(u);
                    }
                }
                if (!listed.equals(kept)) {
                    throw new BadInputException("Mask file " + maskFile + " lists kept indices of layer " + s.name()
                            + " that its bits do not keep (" + listed.size() + " listed, " + kept.size()
                            + " kept by the bits; " + firstDifference(listed, kept, s.units()) + ")" + EDITED);
                }
            }
            // As the search's repair holds every layer to one unit at least, so does a mask given by hand.
            if (mask.keptCount(s.offset(), s.offset() + s.units()) == 0) {
                throw new BadInputException("Mask file " + maskFile + " keeps none of the " + s.units() + " "
                        + layout.granularity().configName() + "s of layer " + s.name()
                        + "; a pruned network needs at least one in every layer");
            }
        }
        return mask;
    }

    /** The first index where a layer's listed kept indices and its bits disagree, said as the user can look it up. */
    static String firstDifference(List<Integer> listed, List<Integer> kept, int units) {
        for (Integer u : listed) {
            if (u == null || u < 0 || u >= units) {
                return "index " + u + " is outside the layer's " + units + " units (0 to " + (units - 1) + ")";
            }
            if (!kept.contains(u)) {
                return "index " + u + " is listed but its bit is 0";
            }
        }
        for (Integer u : kept) {
            if (!listed.contains(u)) {
                return "index " + u + " is kept by the bits but not listed";
            }
        }
        return "the indices are listed out of order or more than once";
    }

    /**
     * Refuses a mask made for another model whose layers have the same names and sizes (a 20-feature CSV model's
     * fc1/fc2 of 300/100 units and LeNet-300-100's), by the base the file records. A file without that record
     * (an older run's, or written by hand) is checked by its layers alone.
     */
    private static void requireBase(MaskReport report, String maskFile, Network model, String modelFile) {
        MaskReport.Base saved = report.base();
        if (saved == null) {
            return;
        }
        Map<String, Long> inputs = saved.inputs() == null ? Map.of() : saved.inputs();
        LayerGraph graph = LayerGraph.of(model.configuration());
        // A layer the model lacks (fan-in 0) is left to the layer checks, which name it.
        String differs = inputs.keySet().stream().filter(l -> {
            long nIn = MaskReport.Base.fanIn(graph, l);
            return nIn > 0 && nIn != inputs.get(l);
        }).findFirst().orElse(null);
        if (differs == null && saved.parameters() == model.numParams()) {
            return;
        }
        String layer = differs != null ? differs
                : inputs.keySet().stream().filter(l -> MaskReport.Base.fanIn(graph, l) > 0).findFirst().orElse(null);
        String madeFor = count(saved.parameters()) + " parameters";
        String has = count(model.numParams()) + " parameters";
        if (layer != null) {
            madeFor += " whose " + layer + " reads " + count(inputs.get(layer)) + " inputs";
            has += " and its " + layer + " reads " + count(MaskReport.Base.fanIn(graph, layer));
        }
        throw new BadInputException("Mask file " + maskFile + " was made for a model of " + madeFor + "; model "
                + modelFile + " has " + has + ": the mask belongs to another model");
    }

    /** With thousands separators, as the run's console writes counts. */
    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
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
