package io.splicelab.gateway.readmodel;

import io.splicelab.model.events.Envelope;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.EventCodec.InvalidEventException;
import io.splicelab.model.events.EventType;
import io.splicelab.model.events.Payloads.CheckpointCreated;
import io.splicelab.model.events.Payloads.CheckpointImported;
import io.splicelab.model.events.Payloads.HybridEvaluated;
import io.splicelab.model.events.Payloads.RunCancelRequested;
import io.splicelab.model.events.Payloads.RunCancelled;
import io.splicelab.model.events.Payloads.RunCompleted;
import io.splicelab.model.events.Payloads.RunFailed;
import io.splicelab.model.events.Payloads.RunProgress;
import io.splicelab.model.events.Payloads.RunRequested;
import io.splicelab.model.events.Payloads.RunStarted;
import io.splicelab.model.events.Payloads.StatsComputed;
import io.splicelab.model.events.Payloads.TcSummaryComputed;
import io.splicelab.model.events.RunConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Folds one decoded event into the read model, in one transaction. Idempotent: an envelope id already in
 * the event log is skipped, and every result is upserted by its natural key, so redelivery after a crash
 * or a full replay of the topics never duplicates anything.
 */
@ApplicationScoped
public class ReadModelProjector {

    /**
     * Applies an event.
     *
     * @param envelope the decoded envelope; its subject is the run id
     * @param payload the decoded payload ({@link EventCodec#payload(Envelope)})
     * @return true when the event was new, false when it had been applied before
     */
    @Transactional
    public boolean apply(Envelope envelope, Object payload) {
        requireKeys(envelope, payload);
        if (envelope.id() != null && EventLogEntity.exists(envelope.id())) {
            return false;
        }
        if (DeletedRunEntity.isDeleted(envelope.subject())) {
            return false;
        }
        if (payload instanceof RunCancelRequested && RunEntity.findById(envelope.subject()) == null) {
            return false; // a command about a run this gateway never saw is no reason to list one
        }
        // times come from the events, never from the clock, so a rebuild from the topics restores them exactly
        Instant time = timeOf(envelope);
        RunEntity run = runFor(envelope.subject(), payload, time);
        if (payload instanceof RunRequested p) {
            setConfigIfAbsent(run, p.config());
            if (run.step == null) {
                run.step = 0; // as the gateway records a run it accepts itself
            }
        } else if (payload instanceof RunStarted p) {
            setConfigIfAbsent(run, p.config());
            if (!run.status.isFinal()) {
                run.status = RunStatus.RUNNING;
            }
            if (p.config() != null && p.config().steps() != null) {
                run.totalSteps = p.config().steps();
            }
        } else if (payload instanceof RunProgress p) {
            if (run.step == null || p.step() >= run.step) {
                run.step = p.step();
                run.totalSteps = p.totalSteps();
                run.loss = p.loss();
                run.accuracy = p.accuracy();
                run.imagesPerSecond = p.imagesPerSecond();
            }
            if (run.status == RunStatus.REQUESTED) {
                run.status = RunStatus.RUNNING;
            }
            upsertProgress(run.id, p);
        } else if (payload instanceof RunCompleted p) {
            run.status = RunStatus.COMPLETED;
            run.step = p.steps();
            run.totalSteps = p.steps();
        } else if (payload instanceof RunFailed p) {
            run.status = RunStatus.FAILED;
            run.failure = p.reason();
        } else if (payload instanceof RunCancelled p) {
            if (!run.status.isFinal()) {
                run.status = RunStatus.CANCELLED;
            }
        } else if (payload instanceof CheckpointCreated p) {
            setConfigIfAbsent(run, p.config());
            upsertCheckpoint(run.id, p);
        } else if (payload instanceof CheckpointImported p) {
            // an imported run has no training: it is complete with each checkpoint it receives
            setConfigIfAbsent(run, new RunConfig("onnx", null, p.dataset(), null, null, null, null, null, p.seed(),
                    null, p.evalSize()));
            if (!run.status.isFinal()) {
                run.status = RunStatus.COMPLETED;
            }
            if (run.step == null || p.step() > run.step) {
                run.step = p.step();
            }
            upsertImportedCheckpoint(run.id, p);
        } else if (payload instanceof HybridEvaluated p) {
            upsertCell(run.id, p);
        } else if (payload instanceof StatsComputed p) {
            upsertStats(run.id, p, time);
        } else if (payload instanceof TcSummaryComputed p) {
            upsertSummary(run.id, p, time);
        }
        // features snapshots, noise samples, cancel requests and types added later: kept in the event log only
        if (time.isAfter(run.updatedAt)) {
            run.updatedAt = time;
        }
        if (time.isBefore(run.createdAt)) {
            run.createdAt = time;
        }
        log(envelope, run.id);
        return true;
    }

    /** A result without its natural key cannot be upserted; it is a bad event, not a processing failure. */
    private static void requireKeys(Envelope envelope, Object payload) {
        if (envelope.subject().isBlank() || envelope.subject().length() > 64) {
            throw new InvalidEventException("subject (the run id) must have 1 to 64 characters");
        }
        if (payload instanceof HybridEvaluated p && (p.cut() == null || p.evalSet() == null || p.bnMode() == null)) {
            throw new InvalidEventException("hybrid result without cut, evalSet or bnMode");
        }
        if (payload instanceof TcSummaryComputed p && (p.cut() == null || p.evalSet() == null || p.bnMode() == null)) {
            throw new InvalidEventException("TC summary without cut, evalSet or bnMode");
        }
        if (payload instanceof StatsComputed p && p.analysis() == null) {
            throw new InvalidEventException("stats result without analysis");
        }
    }

    /** The event's CloudEvents time; the clock only for an event without a readable one. */
    static Instant timeOf(Envelope envelope) {
        if (envelope.time() != null) {
            try {
                return java.time.OffsetDateTime.parse(envelope.time()).toInstant();
            } catch (DateTimeParseException e) {
                // fall through
            }
        }
        return Instant.now();
    }

    private static void upsertProgress(String runId, RunProgress p) {
        ProgressEntity e = ProgressEntity.find(runId, p.step()).orElseGet(ProgressEntity::new);
        e.runId = runId;
        e.step = p.step();
        e.totalSteps = p.totalSteps();
        e.loss = p.loss();
        e.accuracy = p.accuracy();
        e.learningRate = p.learningRate();
        e.imagesPerSecond = p.imagesPerSecond();
        e.persist();
    }

    private static void upsertSummary(String runId, TcSummaryComputed p, Instant time) {
        TcSummaryEntity e = TcSummaryEntity.find(runId, p.cut(), p.evalSet(), p.bnMode())
                .orElseGet(TcSummaryEntity::new);
        e.runId = runId;
        e.cut = p.cut();
        e.evalSet = p.evalSet();
        e.bnMode = p.bnMode();
        e.steps = p.steps() == null ? "" : p.steps().stream().map(String::valueOf).collect(Collectors.joining(","));
        e.curveJson = EventCodec.toJson(p.curve() == null ? Map.of() : p.curve());
        e.tcScore = p.tcScore();
        e.dropLag = p.dropLag();
        e.threshold = p.threshold();
        e.updatedAt = time;
        e.persist();
    }

    private static RunEntity runFor(String runId, Object payload, Instant now) {
        RunEntity run = RunEntity.findById(runId);
        if (run == null) {
            // a run the gateway has not seen (started elsewhere, or before a read-model rebuild)
            run = new RunEntity();
            run.id = runId;
            run.status = payload instanceof RunRequested ? RunStatus.REQUESTED : RunStatus.RUNNING;
            run.createdAt = now;
            run.updatedAt = now;
            run.persist();
        }
        return run;
    }

    private static void setConfigIfAbsent(RunEntity run, RunConfig config) {
        if (run.configJson == null && config != null) {
            run.configJson = EventCodec.toJson(config);
            if (run.totalSteps == null) {
                run.totalSteps = config.steps();
            }
        }
    }

    private static void upsertCheckpoint(String runId, CheckpointCreated p) {
        CheckpointEntity c = CheckpointEntity.find(runId, p.step()).orElseGet(CheckpointEntity::new);
        c.runId = runId;
        c.step = p.step();
        c.index = p.index();
        c.trainLoss = p.trainLoss();
        c.trainAccuracy = p.trainAccuracy();
        c.artifactUri = p.parameters() == null ? null : p.parameters().uri();
        c.artifactSha256 = p.parameters() == null ? null : p.parameters().sha256();
        c.persist();
    }

    private static void upsertImportedCheckpoint(String runId, CheckpointImported p) {
        CheckpointEntity c = CheckpointEntity.find(runId, p.step()).orElseGet(CheckpointEntity::new);
        c.runId = runId;
        c.step = p.step();
        c.index = p.index();
        c.artifactUri = p.manifestFile() == null ? null : p.manifestFile().uri();
        c.artifactSha256 = p.manifestFile() == null ? null : p.manifestFile().sha256();
        c.persist();
    }

    private static void upsertCell(String runId, HybridEvaluated p) {
        HybridCellEntity c = HybridCellEntity.find(runId, p.cut(), p.evalSet(), p.bnMode(), p.shallowStep(),
                p.deepStep()).orElseGet(HybridCellEntity::new);
        c.runId = runId;
        c.cut = p.cut();
        c.evalSet = p.evalSet();
        c.bnMode = p.bnMode();
        c.shallowStep = p.shallowStep();
        c.deepStep = p.deepStep();
        c.precision = p.precision();
        c.samples = p.samples();
        c.metricsJson = EventCodec.toJson(p.metrics() == null ? Map.of() : p.metrics());
        c.persist();
    }

    private static void upsertStats(String runId, StatsComputed p, Instant time) {
        String cut = p.cut() == null ? "" : p.cut();
        String probeSet = p.probeSet() == null ? "" : p.probeSet();
        String steps = p.steps() == null ? ""
                : p.steps().stream().map(String::valueOf).collect(Collectors.joining(","));
        StatsResultEntity s = StatsResultEntity.find(runId, p.analysis(), cut, probeSet, steps)
                .orElseGet(StatsResultEntity::new);
        s.runId = runId;
        s.analysis = p.analysis();
        s.cut = cut;
        s.probeSet = probeSet;
        s.steps = steps;
        s.shape = p.shape();
        s.parametersJson = EventCodec.toJson(p.parameters() == null ? Map.of() : p.parameters());
        s.valuesJson = EventCodec.toJson(p.values() == null ? Map.of() : p.values());
        s.updatedAt = time;
        s.persist();
    }

    private static void log(Envelope envelope, String runId) {
        if (EventType.RUN_PROGRESS.type().equals(envelope.type())) {
            EventLogEntity.deleteOfType(runId, envelope.type());
        }
        EventLogEntity e = new EventLogEntity();
        e.eventId = envelope.id() == null ? UUID.randomUUID().toString() : envelope.id();
        e.runId = runId;
        e.type = envelope.type();
        e.envelopeJson = EventCodec.toJson(envelope);
        e.persist();
    }
}
