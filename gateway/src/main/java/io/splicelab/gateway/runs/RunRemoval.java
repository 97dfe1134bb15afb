package io.splicelab.gateway.runs;

import io.splicelab.edge.publish.ContractPublisher;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.Payloads.RunCancelRequested;
import io.splicelab.model.events.Payloads.RunDeleted;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.splicelab.edge.problem.ProblemException;
import io.splicelab.gateway.readmodel.DeletedRunEntity;
import io.splicelab.gateway.readmodel.ReadModelGate;
import io.splicelab.gateway.readmodel.RunRows;
import io.splicelab.model.events.RunIds;
import io.splicelab.model.store.LocalArtifactStore;
import io.splicelab.model.store.RunArtifacts;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Cancels and deletes runs. Deleting removes the run from the read model and its artifacts (checkpoints,
 * features, noise, per-image predictions: everything under {@code runs/<runId>/}) from the artifact store, and remembers the deletion so the run's events, which stay in
 * Kafka, never bring it back. A run still training is asked to stop first. Every other consumer learns of it twice:
 * the deletion marker ({@code RunArtifacts.deletionMarker}, written before the artifacts go, so a consumer never sees
 * the artifacts missing without it) and {@code run.deleted} on {@code splicelab.run-events}.
 */
@ApplicationScoped
public class RunRemoval {
    private static final Logger LOG = Logger.getLogger(RunRemoval.class);

    private final ContractPublisher commands;
    private final RunQueries queries;
    private final Path artifactsDir;
    private final ReadModelGate gate;

    public RunRemoval(ContractPublisher commands, RunQueries queries, ReadModelGate gate,
            @ConfigProperty(name = "splicelab.artifacts.dir", defaultValue = "./.splicelab/artifacts") Path artifactsDir) {
        this.commands = commands;
        this.queries = queries;
        this.gate = gate;
        this.artifactsDir = artifactsDir;
    }

    /**
     * Publishes a cancel request for a run that has not finished.
     *
     * @throws ProblemException 404 for an unknown run, 409 for a finished one, 503 when Kafka does not take it
     */
    public void cancel(String runId, String reason) {
        if (queries.status(runId).isFinal()) {
            throw ProblemException.conflict("run " + runId + " has already finished (" + queries.status(runId) + ")");
        }
        try {
            commands.publish(runId, new RunCancelRequested(runId,
                    reason == null || reason.isBlank() ? "cancelled through the API" : reason));
        } catch (RuntimeException e) {
            LOG.errorf(e, "could not send the cancel command of run %s", runId);
            throw ProblemException.unavailable("the cancel command could not be sent to Kafka");
        }
    }

    /**
     * Deletes a run and its artifacts.
     *
     * @throws ProblemException 404 for an unknown run
     */
    public void delete(String runId) {
        if (!queries.status(runId).isFinal()) {
            try {
                commands.publish(runId, new RunCancelRequested(runId, "the run was deleted"));
            } catch (RuntimeException e) {
                LOG.warnf("could not ask the trainer to stop deleted run %s: %s", runId, e.toString());
            }
        }
        // alone against the live consumer, so an event of the run being applied right now cannot race the delete
        gate.exclusive(() -> QuarkusTransaction.requiringNew().call(() -> {
            DeletedRunEntity tombstone = new DeletedRunEntity();
            tombstone.runId = runId;
            tombstone.deletedAt = Instant.now();
            tombstone.persist();
            return RunRows.deleteAll(runId);
        }));
        if (!RunIds.isValid(runId)) {
            // an id from an event could name a path ("a/../b"): never let it reach another run's artifacts
            LOG.warnf("run %s was deleted from the read model; its id is not a plain name, artifacts left alone", runId);
            return;
        }
        LocalArtifactStore store = new LocalArtifactStore(artifactsDir);
        store.replace(RunArtifacts.deletionMarker(runId), EventCodec.toJson(java.util.Map.of("runId", runId,
                "deletedAt", Instant.now().toString())).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "application/json");
        store.deleteAll(RunArtifacts.runPrefix(runId));
        LOG.infof("deleted run %s and its artifacts under %s", runId, artifactsDir.resolve(RunArtifacts.runPrefix(runId)));
        try {
            commands.publish(runId, new RunDeleted(runId));
        } catch (RuntimeException e) {
            // the marker in the store says it as well; the run stays deleted either way
            LOG.warnf("could not announce the deletion of run %s on Kafka: %s", runId, e.toString());
        }
    }
}
