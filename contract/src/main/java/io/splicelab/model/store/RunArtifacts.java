package io.splicelab.model.store;

import io.splicelab.model.events.RunIds;
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

    /** Whether a key under {@link #importsPrefix} is an import record (not a file of an import). */
    public static boolean isImportRecord(String key) {
        return key.matches(".*/imports/step-\\d{8}\\.json");
    }
}
