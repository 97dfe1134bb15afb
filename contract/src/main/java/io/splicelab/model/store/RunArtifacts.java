package io.splicelab.model.store;

/**
 * Where a run's artifacts live in the store. One place decides the layout so the trainer writes and
 * the other services (and plugged-in consumers) find them.
 */
public final class RunArtifacts {
    private RunArtifacts() {
    }

    public static String runPrefix(String runId) {
        return "runs/" + runId;
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
        return String.format("%s/features/%s/step-%08d.npz", runPrefix(runId), probeSet, step);
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
        return String.format("%s/step-%08d/%s", importsPrefix(runId), step, file);
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
