package io.splicelab.gateway.runs;

import io.splicelab.edge.publish.ContractPublisher;
import io.splicelab.model.events.Payloads.RunRequested;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.splicelab.edge.problem.ProblemException;
import io.splicelab.gateway.readmodel.RunEntity;
import io.splicelab.gateway.readmodel.RunStatus;
import io.splicelab.gateway.runs.RunViews.RunAccepted;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.RunConfig;
import jakarta.enterprise.context.ApplicationScoped;
import io.smallrye.mutiny.TimeoutException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import org.jboss.logging.Logger;

/**
 * Accepts a run: validates the configuration, records the run as {@code REQUESTED} and sends the command.
 * The run is committed before the command is sent, so the trainer's first event always finds it; when the
 * command cannot be sent the run is marked {@code FAILED} and the caller gets a 503.
 */
@ApplicationScoped
public class RunSubmission {
    private static final Logger LOG = Logger.getLogger(RunSubmission.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ContractPublisher commands;

    public RunSubmission(ContractPublisher commands) {
        this.commands = commands;
    }

    public RunAccepted submit(RunConfig requested) {
        return submitValidated(RunConfigValidation.validated(requested));
    }

    /** Submits a configuration that has already been completed with defaults and validated. */
    public RunAccepted submitValidated(RunConfig config) {
        String runId = newRunId();
        // millisecond precision, like the databases keep it: the command's time is the run's creation time
        Instant created = Instant.ofEpochMilli(System.currentTimeMillis());
        String configJson = EventCodec.toJson(config);
        QuarkusTransaction.requiringNew().run(() -> {
            RunEntity run = new RunEntity();
            run.id = runId;
            run.status = RunStatus.REQUESTED;
            run.configJson = configJson;
            run.step = 0;
            run.totalSteps = config.steps();
            run.createdAt = created;
            run.updatedAt = run.createdAt;
            run.persist();
        });
        try {
            commands.publish(runId, new RunRequested(runId, config), created);
        } catch (RuntimeException e) {
            LOG.errorf(e, "could not send the command of run %s", runId);
            QuarkusTransaction.requiringNew().run(() -> {
                RunEntity run = RunEntity.findById(runId);
                run.status = RunStatus.FAILED;
                run.failure = "the run command could not be sent to Kafka: " + describe(e);
                run.updatedAt = Instant.now();
            });
            throw ProblemException.unavailable("the run command could not be sent; run " + runId + " is marked FAILED");
        }
        return new RunAccepted(runId, RunStatus.REQUESTED.name(), EventCodec.mapper().valueToTree(config));
    }

    private static String describe(Exception e) {
        return e instanceof TimeoutException ? "no acknowledgement in time"
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** {@code run-} and 12 random hex digits. */
    static String newRunId() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return "run-" + HexFormat.of().formatHex(bytes);
    }
}
