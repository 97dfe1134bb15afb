package io.splicelab.gateway.readmodel;

import io.splicelab.model.events.Envelope;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.EventCodec.InvalidEventException;
import io.splicelab.model.events.EventType;
import io.splicelab.model.events.Payloads.CheckpointCreated;
import io.splicelab.model.events.Payloads.CheckpointImported;
import io.splicelab.model.events.Payloads.GridProgress;
import io.splicelab.model.events.Payloads.HybridEvaluated;
import io.splicelab.model.events.Payloads.RunCancelRequested;
import io.splicelab.model.events.Payloads.RunCancelled;
import io.splicelab.model.events.Payloads.RunCompleted;
import io.splicelab.model.events.Payloads.RunDeleted;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Folds one decoded event into the read model, in one transaction. Idempotent: an envelope id already in
 * the event log is skipped, the same fact under a new id ({@link NaturalKeys}, same data) too, and every result
 * is upserted by its natural key, so redelivery after a crash, a service replaying after a restart or a full
 * replay of the topics never duplicates anything. Applies only what is consistent with what it knows
 * ({@link EventRules}, {@link ArtifactPresence}); anything else is an {@link InvalidEventException}, which the
 * consumer dead-letters with the reason.
 */
@ApplicationScoped
public class ReadModelProjector {
    private final ArtifactPresence artifacts;

    public ReadModelProjector(ArtifactPresence artifacts) {
        this.artifacts = artifacts;
    }

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
        String runId = envelope.subject();
        if (payload instanceof RunDeleted) {
            // deleted through another gateway (or before this read model): remembered, so its events never return
            if (!DeletedRunEntity.isDeleted(runId)) {
                DeletedRunEntity tombstone = new DeletedRunEntity();
                tombstone.runId = runId;
                tombstone.deletedAt = timeOf(envelope);
                tombstone.persist();
                RunRows.deleteAll(runId);
            }
            return false;
        }
        if (DeletedRunEntity.isDeleted(runId)) {
            return false;
        }
        RunEntity existing = RunEntity.findById(runId);
        if (payload instanceof RunCancelRequested && existing == null) {
            return false; // a command about a run this gateway never saw is no reason to list one
        }
        // the same fact again with a new id (a service replaying after a restart): nothing new to store or stream
        String key = NaturalKeys.of(envelope.type(), envelope.source(), payload);
        String dataSha = NaturalKeys.sha256(String.valueOf(envelope.data()));
        EventLogEntity previous = key == null ? null : EventLogEntity.byNaturalKey(runId, key).orElse(null);
        if (previous != null && dataSha.equals(previous.dataSha256)) {
            return false;
        }
        if (payload instanceof RunProgress p && sameProgress(runId, p)) {
            return false; // the log keeps only the latest progress; the curve has every point
        }
        // only what is consistent with what the gateway knows of the run, with its artifacts in the store
        boolean imported = payload instanceof CheckpointImported ci ? artifacts.imported(runId, ci.step())
                : existing == null && artifacts.imported(runId);
        // a run requested straight on Kafka whose start overtook its request (another topic): the trainer's
        // started marker in the store is the request (no Kafka record can create it)
        RunRequested stored = existing == null && !imported && !(payload instanceof RunRequested)
                ? artifacts.requested(runId).orElse(null) : null;
        EventRules.Known known = existing != null
                ? new EventRules.Known(existing.status, existing.totalSteps, imported)
                : stored != null ? new EventRules.Known(RunStatus.REQUESTED, stored.config() == null ? null
                        : stored.config().steps(), false)
                : EventRules.Known.unknown(imported);
        String rejected = EventRules.rejection(runId, known, payload).or(() -> artifacts.problem(payload))
                .orElse(null);
        if (rejected != null) {
            throw new InvalidEventException(rejected);
        }
        // times come from the events, never from the clock, so a rebuild from the topics restores them exactly
        Instant time = timeOf(envelope);
        RunEntity run = existing != null ? existing : newRun(runId, stored != null ? stored : payload, imported, time);
        if (stored != null) {
            setConfigIfAbsent(run, stored.config());
            run.step = 0; // as for a run.requested
        }
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
                run.recoveries = Math.max(run.recoveries == null ? 0 : run.recoveries, p.recoveries());
            }
            if (run.status == RunStatus.REQUESTED) {
                run.status = RunStatus.RUNNING;
            }
            upsertProgress(run.id, p);
        } else if (payload instanceof RunCompleted p) {
            run.status = RunStatus.COMPLETED;
            run.step = p.steps();
            run.totalSteps = p.steps();
            if (p.finalTestAccuracy() != null) {
                run.finalTestAccuracy = p.finalTestAccuracy();
                run.finalTestSamples = p.finalTestSamples();
            }
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
                    null, p.evalSize()).withEvalSubset(p.evalSubset(), p.evalIndices()).withEvalPlan(p.evalPlan()));
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
            upsertStats(run.id, envelope.source(), p, time);
        } else if (payload instanceof TcSummaryComputed p) {
            upsertSummary(run.id, p, time);
        } else if (payload instanceof GridProgress p) {
            upsertGrid(run.id, p, time);
        }
        // features snapshots, noise samples, cancel requests and types added later: kept in the event log only
        if (time.isAfter(run.updatedAt)) {
            run.updatedAt = time;
        }
        if (time.isBefore(run.createdAt)) {
            run.createdAt = time;
        }
        log(envelope, run.id, key, dataSha, previous);
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
        if (payload instanceof HybridEvaluated p && p.evalSubset() != null
                && p.evalSubset().length() > HybridCellEntity.MAX_EVAL_SUBSET) {
            throw new InvalidEventException("hybrid result with an evalSubset over "
                    + HybridCellEntity.MAX_EVAL_SUBSET + " characters");
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
        e.at(runId, p.step());
        e.totalSteps = p.totalSteps();
        e.loss = p.loss();
        e.accuracy = p.accuracy();
        e.learningRate = p.learningRate();
        e.imagesPerSecond = p.imagesPerSecond();
        e.recoveries = p.recoveries();
        e.persist();
    }

    private static void upsertSummary(String runId, TcSummaryComputed p, Instant time) {
        TcSummaryEntity e = TcSummaryEntity.find(runId, p.cut(), p.evalSet(), p.bnMode())
                .orElseGet(TcSummaryEntity::new);
        e.grid(runId, p.cut(), p.evalSet(), p.bnMode());
        e.steps = joined(p.steps());
        e.curveJson = EventCodec.toJson(p.curve() == null ? Map.of() : p.curve());
        e.tcScore = p.tcScore();
        e.dropLag = p.dropLag();
        e.threshold = p.threshold();
        e.tcExcludingInitial = p.tcExcludingInitial();
        e.initialStep = p.initialStep();
        e.chancePairs = p.chancePairs();
        if (p.all() != null) {
            Map<String, Object> variants = new java.util.LinkedHashMap<>();
            variants.put("all", p.all());
            variants.put("excludingInitial", p.excludingInitial() == null ? p.all() : p.excludingInitial());
            e.variantsJson = EventCodec.toJson(variants);
        } else {
            e.variantsJson = null;
        }
        e.updatedAt = time;
        e.persist();
    }

    /** Checkpoint steps as the read model stores them: comma separated in the order given, "" for none. */
    private static String joined(List<Integer> steps) {
        return steps == null ? "" : steps.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** The run an event creates: a request, or an import the gateway recorded (whose first results may come first). */
    private static RunEntity newRun(String runId, Object payload, boolean imported, Instant now) {
        RunEntity run = new RunEntity();
        run.id = runId;
        run.status = payload instanceof RunRequested ? RunStatus.REQUESTED
                : imported ? RunStatus.COMPLETED : RunStatus.RUNNING;
        run.createdAt = now;
        run.updatedAt = now;
        run.persist();
        return run;
    }

    private static boolean sameProgress(String runId, RunProgress p) {
        return ProgressEntity.find(runId, p.step()).map(e -> e.totalSteps == p.totalSteps() && e.loss == p.loss()
                && e.accuracy == p.accuracy() && e.learningRate == p.learningRate()
                && e.imagesPerSecond == p.imagesPerSecond()
                && java.util.Objects.equals(e.recoveries, p.recoveries())).orElse(false);
    }

    private static void upsertGrid(String runId, GridProgress p, Instant time) {
        GridProgressEntity g = GridProgressEntity.findById(runId);
        if (g == null) {
            g = new GridProgressEntity();
            g.runId = runId;
        }
        g.step = p.step();
        g.stepCellsComputed = p.stepCellsComputed();
        g.stepCellsExpected = p.stepCellsExpected();
        g.gridCellsComputed = p.gridCellsComputed();
        g.gridCellsExpected = p.gridCellsExpected();
        g.checkpoints = p.checkpoints();
        g.status = p.status() == null ? "unknown" : p.status();
        g.reason = p.reason() == null ? null : p.reason().substring(0, Math.min(4000, p.reason().length()));
        g.updatedAt = time;
        g.persist();
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
        c.at(runId, p.step());
        c.index = p.index();
        c.trainLoss = p.trainLoss();
        c.trainAccuracy = p.trainAccuracy();
        c.artifactUri = p.parameters() == null ? null : p.parameters().uri();
        c.artifactSha256 = p.parameters() == null ? null : p.parameters().sha256();
        c.persist();
    }

    private static void upsertImportedCheckpoint(String runId, CheckpointImported p) {
        CheckpointEntity c = CheckpointEntity.find(runId, p.step()).orElseGet(CheckpointEntity::new);
        c.at(runId, p.step());
        c.index = p.index();
        c.artifactUri = p.manifestFile() == null ? null : p.manifestFile().uri();
        c.artifactSha256 = p.manifestFile() == null ? null : p.manifestFile().sha256();
        c.persist();
    }

    private static void upsertCell(String runId, HybridEvaluated p) {
        HybridCellEntity c = HybridCellEntity.find(runId, p.cut(), p.evalSet(), p.bnMode(), p.shallowStep(),
                p.deepStep()).orElseGet(HybridCellEntity::new);
        c.grid(runId, p.cut(), p.evalSet(), p.bnMode());
        c.shallowStep = p.shallowStep();
        c.deepStep = p.deepStep();
        c.precision = p.precision();
        c.samples = p.samples();
        c.evalSubset = p.evalSubset();
        c.deepDonorAtChance = p.deepDonorAtChance();
        c.metricsJson = EventCodec.toJson(p.metrics() == null ? Map.of() : p.metrics());
        c.persist();
    }

    private static void upsertStats(String runId, String source, StatsComputed p, Instant time) {
        String from = source == null ? "" : source;
        String cut = p.cut() == null ? "" : p.cut();
        String probeSet = p.probeSet() == null ? "" : p.probeSet();
        String evalSet = p.evalSet() == null ? "" : p.evalSet();
        String bnMode = p.bnMode() == null ? "" : p.bnMode();
        String steps = joined(p.steps());
        StatsResultEntity s = StatsResultEntity.find(runId, from, p.analysis(), cut, probeSet, evalSet, bnMode, steps)
                .orElseGet(StatsResultEntity::new);
        s.runId = runId;
        s.source = from;
        s.analysis = p.analysis();
        s.cut = cut;
        s.probeSet = probeSet;
        s.evalSet = evalSet;
        s.bnMode = bnMode;
        s.steps = steps;
        s.shape = p.shape();
        s.parametersJson = EventCodec.toJson(p.parameters() == null ? Map.of() : p.parameters());
        s.valuesJson = EventCodec.toJson(p.values() == null ? Map.of() : p.values());
        s.updatedAt = time;
        s.persist();
    }

    /**
     * Stores the event in the run's log: a new natural key is appended, a changed fact replaces the stored event
     * under its key (keeping its place), the latest progress replaces the earlier ones.
     */
    private static void log(Envelope envelope, String runId, String key, String dataSha, EventLogEntity previous) {
        EventLogEntity e = previous;
        if (EventType.RUN_PROGRESS.type().equals(envelope.type())) {
            EventLogEntity.deleteOfType(runId, envelope.type());
            e = null;
        }
        if (e == null) {
            e = new EventLogEntity();
            e.runId = runId;
        }
        e.eventId = envelope.id() == null ? UUID.randomUUID().toString() : envelope.id();
        e.type = envelope.type();
        e.naturalKey = key;
        e.dataSha256 = dataSha;
        e.envelopeJson = EventCodec.toJson(envelope);
        if (e.id == null) {
            e.persist();
        }
    }
}
