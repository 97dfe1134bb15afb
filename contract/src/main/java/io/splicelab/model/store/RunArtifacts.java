package io.splicelab.model.store;

import io.splicelab.model.events.RunIds;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Where a run's artifacts live in the store. One place decides the layout so the trainer writes and
 * the other services (and plugged-in consumers) find them. Every builder checks the run id against the
 * contract's rule ({@link RunIds#requireValid}) and every name it puts in a path (probe set, imported file)
 * is a plain name, so a hostile id or name from an event can never build a key outside its run.
 */
public final class RunArtifacts {
    private RunArtifacts() {
    }

    /** What a name inside a run's key (probe set, imported file) may look like: one plain path segment. */
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    /** The directory of a run; every other key of the run is under it. */
    public static String runPrefix(String runId) {
        return "runs/" + RunIds.requireValid(runId);
    }

    /**
     * Checks a name that goes into a run's key (a probe set, an imported file).
     *
     * @return the name
     * @throws IllegalArgumentException naming {@code what} and the rule
     */
    public static String requirePlainName(String name, String what) {
        return plainName(name, what);
    }

    private static String plainName(String name, String what) {
        if (name == null || !PLAIN_NAME.matcher(name).matches() || name.contains("..")) {
            throw new IllegalArgumentException("invalid " + what + " " + RunIds.quote(name)
                    + ": a plain name of letters, digits, '.', '_' or '-' (no directories, no '..')");
        }
        return name;
    }

    public static String checkpointsPrefix(String runId) {
        return runPrefix(runId) + "/checkpoints";
    }

    /** Parameters and BatchNorm statistics of the checkpoint at a step. */
    public static String checkpointParams(String runId, int step) {
        return String.format("%s/step-%08d.params", checkpointsPrefix(runId), step);
    }

    /** The checkpoint's manifest: its CheckpointCreated payload as JSON. */
    public static String checkpointManifest(String runId, int step) {
        return String.format("%s/step-%08d.json", checkpointsPrefix(runId), step);
    }

    /** Probe-set features of a checkpoint. */
    public static String featureSnapshot(String runId, int step, String probeSet) {
        return String.format("%s/features/%s/step-%08d.npz", runPrefix(runId), plainName(probeSet, "probe set"), step);
    }

    /**
     * Marker written by the gateway when a run is deleted, before its directory ({@link #runPrefix}) is: outside that
     * directory, so it stays; a consumer that finds it ignores the run's events (see {@code Payloads.RunDeleted}).
     */
    public static String deletionMarker(String runId) {
        return "deleted-runs/" + RunIds.requireValid(runId) + ".json";
    }

    /** Marker written when training of a run finished. */
    public static String completedMarker(String runId) {
        return runPrefix(runId) + "/completed.json";
    }

    public static String importsPrefix(String runId) {
        return runPrefix(runId) + "/imports";
    }

    /** A file of an imported checkpoint (its manifest.json or a segment's ONNX file). */
    public static String importedFile(String runId, int step, String file) {
        return String.format("%s/step-%08d/%s", importsPrefix(runId), step, plainName(file, "file name"));
    }

    /** The imported checkpoint's record: its CheckpointImported payload as JSON. */
    public static String importRecord(String runId, int step) {
        return String.format("%s/step-%08d.json", importsPrefix(runId), step);
    }

    /** Where the per-image predictions of a run's hybrid cells are. */
    public static String predictionsPrefix(String runId) {
        return runPrefix(runId) + "/predictions";
    }

    /**
     * The per-image predictions of one hybrid cell ({@code HybridPredictions}, an {@code .npz}):
     * {@code runs/<runId>/predictions/<cut>/<evalSet>/<bnMode>/shallow-<a>-deep-<b>.npz}, steps in 8 digits. Derived
     * from the cell's natural key alone, so the splicer that writes it and the gateway that serves it agree without
     * an event naming it. Any name goes: a plain one is its own directory, any other (a cut an imported network named
     * with a slash, a hostile query parameter) becomes a hashed name that cannot leave its place ({@link #keyName}).
     *
     * @throws IllegalArgumentException for an invalid run id or a negative step
     */
    public static String hybridPredictions(String runId, String cut, String evalSet, String bnMode, int shallowStep,
            int deepStep) {
        if (shallowStep < 0 || deepStep < 0) {
            throw new IllegalArgumentException("steps are 0 or more, got " + shallowStep + " and " + deepStep);
        }
        return String.format("%s/%s/%s/%s/shallow-%08d-deep-%08d.npz", predictionsPrefix(runId), keyName(cut),
                keyName(evalSet), keyName(bnMode), shallowStep, deepStep);
    }

    /**
     * A name as one path segment of a key: a plain name ({@link #requirePlainName}'s rule) as it is; any other
     * (null, empty, with a slash, {@code ..}, too long) as {@code _} and the first 32 hex digits of its UTF-8 bytes'
     * sha256. A plain name never starts with {@code _}, so the two never collide.
     */
    public static String keyName(String name) {
        if (name != null && PLAIN_NAME.matcher(name).matches() && !name.contains("..")) {
            return name;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(String.valueOf(name).getBytes(StandardCharsets.UTF_8));
            return "_" + HexFormat.of().formatHex(digest).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a key under {@link #importsPrefix} is an import record (not a file of an import). */
    public static boolean isImportRecord(String key) {
        return key.matches(".*/imports/step-\\d{8}\\.json");
    }
}
