package io.splicelab.model.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The {@code manifest.json} of an imported checkpoint (a network trained elsewhere, one ONNX file per segment):
 *
 * <pre>
 * {"run": "name", "step": 60, "numClasses": 10,
 *  "input": {"shape": [3, 32, 32], "mean": [0.49, 0.48, 0.45], "std": [0.25, 0.24, 0.26]},
 *  "segments": [{"name": "stem", "file": "stem.onnx"}, {"name": "stage1", "file": "stage1.onnx"}, ...],
 *  "cuts": ["stem", "stage1", "stage2"]}
 * </pre>
 *
 * Segment i consumes the output of segment i-1 (the first one the image, NCHW float32, normalised as
 * {@code (pixel - mean[c]) / std[c]} with pixels in [0, 1]); the last one outputs the logits, N x numClasses.
 * A cut named X lies after segment X, so its shallow part is the segments up to and including X.
 *
 * @param run the run's name (the import request may override it)
 * @param step the training step of the checkpoint
 * @param numClasses number of classes (width of the logits)
 * @param input the image shape [C, H, W] the first segment takes, and its per-channel normalisation
 * @param segments the segments in order, each an ONNX file with one input and one output
 * @param cuts the cut names, each naming a segment other than the last
 */
public record ImportManifest(String run, Integer step, Integer numClasses, Input input, List<Segment> segments,
        List<String> cuts) {

    /** The file name of the manifest in an import. */
    public static final String FILE = "manifest.json";
    /** What a segment file name may look like: a plain name, no directories. */
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /** The first segment's input: shape [C, H, W] and the normalisation per channel. */
    public record Input(List<Integer> shape, List<Double> mean, List<Double> std) {
    }

    /** One segment: its name and its ONNX file (a plain name in the import's directory). */
    public record Segment(String name, String file) {
    }

    /**
     * Parses and validates a manifest.
     *
     * @throws InvalidManifestException naming the problem
     */
    public static ImportManifest parse(byte[] json) {
        ImportManifest m;
        try {
            m = STRICT.readValue(json, ImportManifest.class);
        } catch (JsonProcessingException e) {
            throw new InvalidManifestException(FILE + " is not a valid manifest: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidManifestException(FILE + " cannot be read: " + e.getMessage());
        }
        if (m == null) {
            throw new InvalidManifestException(FILE + " is empty");
        }
        return m.validated();
    }

    /**
     * Checks the structure: step, classes, input shape and normalisation, segments (non-empty, distinct names,
     * plain file names) and cuts (each names a segment before the last).
     *
     * @return this manifest
     * @throws InvalidManifestException naming the field at fault
     */
    public ImportManifest validated() {
        if (run != null && run.isBlank()) {
            throw new InvalidManifestException("run: must not be blank");
        }
        if (step == null || step < 0) {
            throw new InvalidManifestException("step: a training step >= 0 is required");
        }
        if (numClasses == null || numClasses < 2) {
            throw new InvalidManifestException("numClasses: at least 2 classes are required");
        }
        if (input == null) {
            throw new InvalidManifestException("input: required ({\"shape\": [C, H, W], \"mean\": [...], \"std\": [...]})");
        }
        if (input.shape() == null || input.shape().size() != 3 || input.shape().stream()
                .anyMatch(d -> d == null || d < 1 || d > 4096)) {
            throw new InvalidManifestException("input.shape: must be 3 positive integers [C, H, W], got "
                    + input.shape());
        }
        int c = input.shape().get(0);
        checkChannels("input.mean", input.mean(), c, false);
        checkChannels("input.std", input.std(), c, true);
        if (segments == null || segments.isEmpty()) {
            throw new InvalidManifestException("segments: at least one segment is required");
        }
        Set<String> names = new HashSet<>();
        Set<String> files = new HashSet<>();
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            if (s == null || s.name() == null || s.name().isBlank()) {
                throw new InvalidManifestException("segments[" + i + "].name: required");
            }
            if (!names.add(s.name())) {
                throw new InvalidManifestException("segments[" + i + "].name: duplicate segment name '" + s.name()
                        + "'");
            }
            if (s.file() == null || !FILE_NAME.matcher(s.file()).matches() || s.file().contains("..")
                    || FILE.equals(s.file())) {
                throw new InvalidManifestException("segments[" + i + "].file: must be a plain file name in the "
                        + "import (letters, digits, '.', '_', '-'; no directories), got '" + s.file() + "'");
            }
            if (!files.add(s.file())) {
                throw new InvalidManifestException("segments[" + i + "].file: '" + s.file()
                        + "' is used by two segments");
            }
        }
        if (cuts == null || cuts.isEmpty()) {
            throw new InvalidManifestException("cuts: at least one cut is required");
        }
        Set<String> seen = new HashSet<>();
        for (String cut : cuts) {
            int at = segmentIndex(cut);
            if (at < 0) {
                throw new InvalidManifestException("cuts: '" + cut + "' names no segment; segments: "
                        + segments.stream().map(Segment::name).toList());
            }
            if (at == segments.size() - 1) {
                throw new InvalidManifestException("cuts: '" + cut + "' is after the last segment, so its deep part "
                        + "would be empty");
            }
            if (!seen.add(cut)) {
                throw new InvalidManifestException("cuts: '" + cut + "' is listed twice");
            }
        }
        return this;
    }

    private static void checkChannels(String field, List<Double> values, int channels, boolean positive) {
        if (values == null || values.size() != channels) {
            throw new InvalidManifestException(field + ": must have one value per channel (" + channels + "), got "
                    + values);
        }
        for (Double v : values) {
            if (v == null || !Double.isFinite(v) || (positive && v <= 0)) {
                throw new InvalidManifestException(field + ": every value must be a finite number"
                        + (positive ? " > 0" : "") + ", got " + values);
            }
        }
    }

    /**
     * Checks that every segment file is present.
     *
     * @param present whether a file name is in the import
     * @throws InvalidManifestException naming the first missing file
     */
    public void requireFiles(Predicate<String> present) {
        for (Segment s : segments) {
            if (!present.test(s.file())) {
                throw new InvalidManifestException("segments: file '" + s.file() + "' of segment '" + s.name()
                        + "' is missing from the import");
            }
        }
    }

    private int segmentIndex(String name) {
        for (int i = 0; i < segments.size(); i++) {
            if (segments.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Number of segments in the shallow part of a cut (the cut lies after the segment of that name). */
    public int cutIndex(String cut) {
        int i = segmentIndex(cut);
        if (i < 0 || !cuts.contains(cut)) {
            throw new IllegalArgumentException("unknown cut '" + cut + "'; known: " + cuts);
        }
        return i + 1;
    }

    public int channels() {
        return input.shape().get(0);
    }

    public int height() {
        return input.shape().get(1);
    }

    public int width() {
        return input.shape().get(2);
    }

    public float[] mean() {
        return floats(input.mean());
    }

    public float[] std() {
        return floats(input.std());
    }

    private static float[] floats(List<Double> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i).floatValue();
        }
        return out;
    }
}
