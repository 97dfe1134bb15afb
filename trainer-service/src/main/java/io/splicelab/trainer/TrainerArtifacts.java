package io.splicelab.trainer;

import io.splicelab.model.store.RunArtifacts;

/**
 * Keys of the artifacts only the trainer writes, next to {@link RunArtifacts}' shared layout: the
 * started and cancelled markers (a run dir with a started marker and neither a completed nor a cancelled
 * marker is a run in progress, resumed by a restarted trainer), optimizer state per checkpoint, and SGD
 * noise samples.
 */
public final class TrainerArtifacts {
    private TrainerArtifacts() {
    }

    /** The run's command (configuration with defaults) as JSON, written before RunStarted is published. */
    public static String startedMarker(String runId) {
        return RunArtifacts.runPrefix(runId) + "/started.json";
    }

    /** RunCancelled as JSON: the run stopped on request and is not resumed. */
    public static String cancelledMarker(String runId) {
        return RunArtifacts.runPrefix(runId) + "/cancelled.json";
    }

    /** Optimizer state at a checkpoint (format in {@code UpdateRule}). */
    public static String optimizerState(String runId, int step) {
        return String.format("%s/step-%08d.optim", RunArtifacts.checkpointsPrefix(runId), step);
    }

    /** The m x p noise matrix sampled at a checkpoint (format in {@code NoiseMatrix}). */
    public static String noise(String runId, int step) {
        return String.format("%s/noise/step-%08d.noise.npy", RunArtifacts.runPrefix(runId), step);
    }

    /** The 1 x p parameter update since the previous checkpoint, next to the noise matrix. */
    public static String update(String runId, int step) {
        return String.format("%s/noise/step-%08d.update.npy", RunArtifacts.runPrefix(runId), step);
    }
}
