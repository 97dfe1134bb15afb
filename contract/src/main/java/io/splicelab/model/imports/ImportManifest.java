package io.splicelab.model.imports;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
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
 *  "segments": [{"name": "stem", "file": "stem.onnx", "sha256": "9f86d0...",
 *                "input": ["N", 3, 32, 32], "output": ["N", 16, 32, 32]},
 *               {"name": "stage1", "file": "stage1.onnx"}, ...],
 *  "cuts": ["stem", "stage1", "stage2"],
 *  "format": "splicelab-onnx-segments/1", "architecture": "resnet20", "source": "train.py at 3f2a1c"}
 * </pre>
 *
 * Segment i consumes the output of segment i-1 (the first one the image, NCHW float32, normalised as
 * {@code (pixel - mean[c]) / std[c]} with pixels in [0, 1]); the last one outputs the logits, N x numClasses.
 * A cut named X lies after segment X, so its shallow part is the segments up to and including X.
 *
 * <p><b>Tolerant and honest.</b> An exporter writes what it knows about its network, so a field this record does
 * not know, at any level, is ignored and reported as a {@link Warning} with its path ({@code input.scale},
 * {@code segments[1].source}) instead of refusing the import; a field it knows is validated strictly, and what a
 * manifest declares of its files is checked against them before anything is stored: a segment's {@code sha256}
 * against its bytes, its {@code input} and {@code output} shapes ({@link Shapes}) against its ONNX graph
 * ({@link #checkGraph}) and against its neighbours'.
 *
 * @param run the run's name (the import request may override it)
 * @param step the training step of the checkpoint
 * @param numClasses number of classes (width of the logits)
 * @param input the image shape [C, H, W] the first segment takes, and its per-channel normalisation
 * @param segments the segments in order, each an ONNX file with one input and one output
 * @param cuts the cut names, each naming a segment other than the last
 * @param format optional, descriptive: the exporter's name for this format
 * @param architecture optional, descriptive: the network's architecture as its trainer names it
 * @param source optional, descriptive: where the checkpoint comes from, as text (a script, a commit, a URL) or as
 *     any JSON value an exporter writes (e.g. {"framework": "pytorch", "version": "2.1"}), kept as given
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImportManifest(String run, Integer step, Integer numClasses, Input input, List<Segment> segments,
        List<String> cuts, String format, String architecture, Object source) {

    /** The file name of the manifest in an import. */
    public static final String FILE = "manifest.json";
    /** What a segment file name may look like: a plain name, no directories. */
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
                    DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** A manifest without the descriptive fields. */
    public ImportManifest(String run, Integer step, Integer numClasses, Input input, List<Segment> segments,
            List<String> cuts) {
        this(run, step, numClasses, input, segments, cuts, null, null, null);
    }

    /** The first segment's input: shape [C, H, W] and the normalisation per channel. */
    public record Input(List<Integer> shape, List<Double> mean, List<Double> std) {
    }

    /**
     * One segment: its name and its ONNX file (a plain name in the import's directory), and optionally what the
     * exporter declares of the file: its SHA-256 (hex) and the shapes of its input and output ({@link Shapes}).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Segment(String name, String file, String sha256, List<Object> input, List<Object> output) {
        /** A segment that declares nothing of its file. */
        public Segment(String name, String file) {
            this(name, file, null, null, null);
        }
    }

    /** A field of the manifest that was ignored, by its path (e.g. {@code segments[1].source}), and why. */
    public record Warning(String field, String message) {
    }

    /** A parsed and validated manifest, and the warnings about the fields it ignored. */
    public record Parsed(ImportManifest manifest, List<Warning> warnings) {
    }

    /**
     * Parses and validates a manifest, ignoring the fields it does not know.
     *
     * @throws InvalidManifestException naming the problem
     * @see #read(byte[])
     */
    public static ImportManifest parse(byte[] json) {
        return read(json).manifest();
    }

    /**
     * Parses and validates a manifest: fields it does not know, at any level, are dropped and listed as warnings;
     * the others are read strictly (a wrong type, a duplicate field, an invalid value is a problem).
     *
     * @throws InvalidManifestException naming the problem and, where there is one, the field
     */
    public static Parsed read(byte[] json) {
        JsonNode tree;
        try {
            tree = STRICT.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidManifestException(FILE + " is not a valid manifest: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidManifestException(FILE + " cannot be read: " + e.getMessage());
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            throw new InvalidManifestException(FILE + " is empty");
        }
        if (!tree.isObject()) {
            throw new InvalidManifestException(FILE + " is not a valid manifest: a JSON object is required");
        }
        List<Warning> warnings = new ArrayList<>();
        dropUnknown(tree, ImportManifest.class, "", warnings);
        ImportManifest m;
        try {
            m = STRICT.treeToValue(tree, ImportManifest.class);
        } catch (JsonMappingException e) {
            String field = path(e);
            throw new InvalidManifestException((field.isEmpty() ? FILE + " is not a valid manifest" : field) + ": "
                    + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new InvalidManifestException(FILE + " is not a valid manifest: " + e.getOriginalMessage());
        }
        return new Parsed(m.validated(), List.copyOf(warnings));
    }

    /**
     * Removes the fields of an object that the record type it is read as does not have, recording a warning for
     * each, and does the same in the records (and lists of records) it holds. Anything not shaped as expected is
     * left for the strict reading to name.
     */
    private static void dropUnknown(JsonNode node, Class<?> type, String path, List<Warning> warnings) {
        if (!(node instanceof ObjectNode object)) {
            return;
        }
        RecordComponent[] components = type.getRecordComponents();
        List<String> known = Arrays.stream(components).map(RecordComponent::getName).toList();
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            String at = path.isEmpty() ? name : path + "." + name;
            int k = known.indexOf(name);
            if (k < 0) {
                unknown.add(name);
                warnings.add(new Warning(at, "unknown field, ignored (known here: " + String.join(", ", known) + ")"));
                continue;
            }
            RecordComponent c = components[k];
            JsonNode value = object.get(name);
            if (c.getType().isRecord()) {
                dropUnknown(value, c.getType(), at, warnings);
            } else if (c.getGenericType() instanceof ParameterizedType list && List.class.equals(c.getType())
                    && list.getActualTypeArguments()[0] instanceof Class<?> item && item.isRecord()
                    && value.isArray()) {
                for (int i = 0; i < value.size(); i++) {
                    dropUnknown(value.get(i), item, at + "[" + i + "]", warnings);
                }
            }
        }
        object.remove(unknown);
    }

    /** The path of the field a mapping problem is about, e.g. {@code segments[1].name} (empty: the whole). */
    private static String path(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                out.append(out.isEmpty() ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                out.append('[').append(r.getIndex()).append(']');
            }
        }
        return out.toString();
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
            if (s.sha256() != null && !SHA256.matcher(s.sha256()).matches()) {
                throw new InvalidManifestException("segments[" + i + "].sha256: must be the 64 hex digits of the "
                        + "SHA-256 of " + s.file() + ", got '" + s.sha256() + "'");
            }
            checkShape("segments[" + i + "].input", s.input());
            checkShape("segments[" + i + "].output", s.output());
        }
        checkDeclaredShapes();
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

    private static void checkShape(String field, List<Object> shape) {
        String problem = shape == null ? null : Shapes.problem(shape);
        if (problem != null) {
            throw new InvalidManifestException(field + ": " + problem);
        }
    }

    /**
     * Checks the declared shapes against each other: the first segment's input takes the images of
     * {@code input.shape}, the last one's output is the logits, and each segment's output is what the next one
     * takes.
     */
    private void checkDeclaredShapes() {
        Segment first = segments.get(0);
        if (!Shapes.compatible(first.input(), images())) {
            throw new InvalidManifestException("segments[0].input: declared " + first.input() + " but input.shape "
                    + input.shape() + " makes the images " + images());
        }
        int last = segments.size() - 1;
        if (!Shapes.compatible(segments.get(last).output(), logits())) {
            throw new InvalidManifestException("segments[" + last + "].output: declared "
                    + segments.get(last).output() + " but the logits of " + numClasses + " classes are " + logits());
        }
        for (int i = 1; i <= last; i++) {
            Segment before = segments.get(i - 1);
            Segment s = segments.get(i);
            if (!Shapes.compatible(before.output(), s.input())) {
                throw new InvalidManifestException("segments[" + i + "].input: declared " + s.input() + " but "
                        + "segments[" + (i - 1) + "].output, which it consumes, is declared " + before.output());
            }
        }
    }

    /** The shape of a batch of images: [N, C, H, W]. */
    private List<Object> images() {
        return Shapes.batchOf(input.shape());
    }

    /** The shape of a batch of logits: [N, numClasses]. */
    private List<Object> logits() {
        return Shapes.batchOf(List.of(numClasses));
    }

    /**
     * Checks what segment i's ONNX graph declares against this manifest: its input against
     * {@code segments[i].input} (the first segment's, when not declared, against the images of
     * {@code input.shape}), its output against {@code segments[i].output} (the last one's, when not declared,
     * against the logits of {@code numClasses} classes). A dimension the graph leaves dynamic fits any size.
     *
     * @param takes the shape of the graph's input (null: the graph does not say)
     * @param gives the shape of the graph's output (null: the graph does not say)
     * @throws InvalidManifestException naming the field and the file
     */
    public void checkGraph(int i, List<?> takes, List<?> gives) {
        Segment s = segments.get(i);
        if (s.input() != null && !Shapes.compatible(s.input(), takes)) {
            throw new InvalidManifestException("segments[" + i + "].input: declared " + s.input() + " but "
                    + s.file() + " takes " + takes);
        }
        if (s.input() == null && i == 0 && !Shapes.compatible(images(), takes)) {
            throw new InvalidManifestException("input.shape: " + input.shape() + " makes the images " + images()
                    + " but " + s.file() + " takes " + takes);
        }
        if (s.output() != null && !Shapes.compatible(s.output(), gives)) {
            throw new InvalidManifestException("segments[" + i + "].output: declared " + s.output() + " but "
                    + s.file() + " outputs " + gives);
        }
        if (s.output() == null && i == segments.size() - 1 && !Shapes.compatible(logits(), gives)) {
            throw new InvalidManifestException("numClasses: the logits of " + numClasses + " classes are "
                    + logits() + " but " + s.file() + " outputs " + gives);
        }
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
