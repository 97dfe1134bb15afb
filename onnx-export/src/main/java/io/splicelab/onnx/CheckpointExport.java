package io.splicelab.onnx;

import io.splicelab.model.events.Architectures;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.Payloads.NetworkSpec;
import io.splicelab.model.imports.ImportManifest;
import io.splicelab.model.store.LocalArtifactStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Exports a checkpoint trained here as an import of the documented format ({@link ImportManifest}): one ONNX file per
 * segment and {@code manifest.json}, so that it can be spliced elsewhere, or imported back as a new run. A segment runs
 * from one chosen cut to the next and is named after the cut it ends at; the last one, {@code head}, ends with the
 * logits. The manifest declares what an importer can check: each segment's SHA-256 and the shapes of its input and
 * output, and, descriptively, the {@link #FORMAT}, the architecture and where the checkpoint comes from. Pure: the
 * checkpoint's bytes in, the files out; who reads the store and serves them is elsewhere.
 */
public final class CheckpointExport {
    /** The name of the last segment (from the deepest cut to the logits). */
    public static final String HEAD = "head";
    /** The manifest's {@code format}: the import format, version 1. */
    public static final String FORMAT = "splicelab-onnx-segments/1";

    private CheckpointExport() {
    }

    /**
     * Exports a checkpoint.
     *
     * @param spec the checkpoint's network
     * @param parameters its parameter file (shared-model's {@code Checkpoints.save})
     * @param cuts the cuts to export at, names of {@link Architectures#cuts} (empty or null: the architecture's
     *     default cuts); any order, each position once
     * @param run the manifest's run name
     * @param step the checkpoint's step
     * @param mean the per-channel mean the network's input is normalised with (its dataset's)
     * @param std the per-channel std of that normalisation
     * @param source the manifest's descriptive {@code source}: where the checkpoint comes from (any JSON value, or
     *     null for none)
     * @throws IllegalArgumentException naming a cut that is not the architecture's, or given twice
     * @throws CheckpointFormatException when the parameters are not a checkpoint of the network
     */
    public static ExportedCheckpoint export(NetworkSpec spec, byte[] parameters, List<String> cuts, String run,
            int step, float[] mean, float[] std, Object source) {
        NetworkLayout layout = NetworkLayout.of(spec);
        List<String> chosen = cuts(layout, cuts);
        if (mean.length != spec.channels() || std.length != spec.channels()) {
            throw new IllegalArgumentException("normalisation of " + mean.length + " and " + std.length
                    + " channels for a network of " + spec.channels());
        }
        SegmentGraphs graphs = new SegmentGraphs(layout, DjlParameterFile.read(layout, parameters));
        Map<String, byte[]> files = new LinkedHashMap<>();
        List<ImportManifest.Segment> segments = new ArrayList<>();
        int from = 0;
        List<String> names = new ArrayList<>(chosen);
        names.add(HEAD);
        for (String name : names) {
            int to = name.equals(HEAD) ? layout.segments().size() : layout.cutIndex(name);
            String file = name + ".onnx";
            byte[] model = graphs.model(name, from, to);
            files.put(file, model);
            segments.add(new ImportManifest.Segment(name, file, LocalArtifactStore.sha256(model),
                    declared(layout.shapeBefore(from)), declared(layout.shapeBefore(to))));
            from = to;
        }
        ImportManifest manifest = new ImportManifest(run, step, spec.numClasses(), new ImportManifest.Input(
                List.of(spec.channels(), spec.height(), spec.width()), decimals(mean), decimals(std)), segments, chosen,
                FORMAT, spec.architecture(), source).validated();
        Map<String, byte[]> all = new LinkedHashMap<>();
        all.put(ImportManifest.FILE, json(manifest));
        all.putAll(files);
        return new ExportedCheckpoint(manifest, all);
    }

    /** The manifest as indented JSON: a file a person opens. */
    static byte[] json(ImportManifest manifest) {
        try {
            return EventCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the manifest", e);
        }
    }

    /**
     * The cuts of an export, shallow to deep: the requested ones, or the architecture's default cuts when none are.
     *
     * @throws IllegalArgumentException naming a cut that is not the architecture's, or two cuts at one position
     */
    public static List<String> cuts(NetworkLayout layout, List<String> requested) {
        String architecture = layout.spec().architecture();
        List<String> cuts = requested == null || requested.isEmpty() ? Architectures.defaultCuts(architecture)
                : requested;
        Map<Integer, String> at = new HashMap<>();
        for (String cut : cuts) {
            int index = layout.cutIndex(cut);
            String other = at.put(index, cut);
            if (other != null) {
                throw new IllegalArgumentException(other.equals(cut) ? "'" + cut + "' is named twice"
                        : "'" + other + "' and '" + cut + "' are the same cut of " + architecture);
            }
        }
        return cuts.stream().sorted(Comparator.comparingInt(layout::cutIndex)).toList();
    }

    /** A batch of examples of a shape as a manifest declares it: {@code ["N", 16, 32, 32]}. */
    private static List<Object> declared(long[] example) {
        List<Object> shape = new ArrayList<>();
        shape.add("N");
        for (long d : example) {
            shape.add(Math.toIntExact(d));
        }
        return shape;
    }

    /**
     * A float as the shortest decimal that reads back as the same float ({@code 0.4914}, not
     * {@code 0.49140000343322754}), so that the manifest is readable and a reader that takes it as a float gets the
     * very value the network was trained with.
     */
    private static List<Double> decimals(float[] values) {
        List<Double> out = new ArrayList<>();
        for (float v : values) {
            double d = Double.parseDouble(Float.toString(v));
            out.add((float) d == v ? d : (double) v);
        }
        return out;
    }
}
