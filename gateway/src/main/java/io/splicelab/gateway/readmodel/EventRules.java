package io.splicelab.gateway.readmodel;

import io.splicelab.model.events.Payloads.CheckpointCreated;
import io.splicelab.model.events.Payloads.CheckpointImported;
import io.splicelab.model.events.Payloads.RunCancelRequested;
import io.splicelab.model.events.Payloads.RunCancelled;
import io.splicelab.model.events.Payloads.RunCompleted;
import io.splicelab.model.events.Payloads.RunFailed;
import io.splicelab.model.events.Payloads.RunProgress;
import io.splicelab.model.events.Payloads.RunRequested;
import io.splicelab.model.events.Payloads.RunStarted;
import java.util.Optional;

/**
 * Which events the read model may apply, given what it knows of their run: the owning services reject hostile
 * records, and the gateway must not list what they rejected (37 phantom runs, 34 of them stuck RUNNING, from
 * {@code run.started} records for runs nobody requested, in the field). A run exists for the gateway once it was
 * requested ({@code run.requested}, or the gateway recorded it when accepting the request) or imported (the
 * gateway's own import record); every other event needs such a run, and a lifecycle event must make sense after
 * the run's current status. Artifacts are checked apart ({@link ArtifactPresence}). Pure.
 */
public final class EventRules {
    private EventRules() {
    }

    /**
     * What the read model knows of a run.
     *
     * @param status its status, null when the read model has no such run
     * @param totalSteps its number of steps when known
     * @param imported whether the gateway recorded an import for it (its import record is in the store)
     */
    public record Known(RunStatus status, Integer totalSteps, boolean imported) {
        /** A run the read model has never seen. */
        public static Known unknown(boolean imported) {
            return new Known(null, null, imported);
        }
    }

    /** Why the event must not be applied, or empty when it may be. */
    public static Optional<String> rejection(String runId, Known run, Object payload) {
        if (payload instanceof RunRequested || payload instanceof RunCancelRequested) {
            return Optional.empty(); // commands: a request creates the run, a cancel of an unknown run is ignored
        }
        if (payload instanceof CheckpointImported) {
            return run.imported() ? Optional.empty()
                    : Optional.of("checkpoint.imported for run " + runId + " that the gateway did not import");
        }
        RunStatus status = run.status();
        if (status == null) {
            return run.imported() ? Optional.empty() // its import event may come later than its first results
                    : Optional.of("run " + runId + " was never requested through the gateway nor imported");
        }
        if (payload instanceof RunStarted && status.isFinal()) {
            return Optional.of("run.started for run " + runId + " that is already " + status);
        }
        if (payload instanceof RunProgress p) {
            if (status.isFinal()) {
                return Optional.of("run.progress for run " + runId + " that is already " + status);
            }
            if (p.step() < 0 || (run.totalSteps() != null && p.step() > run.totalSteps())) {
                return Optional.of("run.progress at step " + p.step() + " outside the run's 0.." + run.totalSteps());
            }
        }
        if (payload instanceof RunCompleted && (status == RunStatus.FAILED || status == RunStatus.CANCELLED)) {
            return Optional.of("run.completed for run " + runId + " that is already " + status);
        }
        if (payload instanceof RunFailed && (status == RunStatus.COMPLETED || status == RunStatus.CANCELLED)) {
            return Optional.of("run.failed for run " + runId + " that is already " + status);
        }
        if (payload instanceof RunCancelled && (status == RunStatus.COMPLETED || status == RunStatus.FAILED)) {
            return Optional.of("run.cancelled for run " + runId + " that is already " + status);
        }
        if (payload instanceof CheckpointCreated p
                && (p.step() < 0 || (run.totalSteps() != null && p.step() > run.totalSteps()))) {
            return Optional.of("checkpoint at step " + p.step() + " outside the run's 0.." + run.totalSteps());
        }
        return Optional.empty();
    }
}
