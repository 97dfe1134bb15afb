package io.splicelab.model.events;

import io.splicelab.model.events.Payloads.CheckpointCreated;
import io.splicelab.model.events.Payloads.CheckpointImported;
import io.splicelab.model.events.Payloads.FeaturesSnapshotted;
import io.splicelab.model.events.Payloads.GridProgress;
import io.splicelab.model.events.Payloads.HybridEvaluated;
import io.splicelab.model.events.Payloads.NoiseSampled;
import io.splicelab.model.events.Payloads.RunCancelRequested;
import io.splicelab.model.events.Payloads.RunCancelled;
import io.splicelab.model.events.Payloads.RunCompleted;
import io.splicelab.model.events.Payloads.RunDeleted;
import io.splicelab.model.events.Payloads.TcSummaryComputed;
import io.splicelab.model.events.Payloads.RunFailed;
import io.splicelab.model.events.Payloads.RunProgress;
import io.splicelab.model.events.Payloads.RunRequested;
import io.splicelab.model.events.Payloads.RunStarted;
import io.splicelab.model.events.Payloads.StatsComputed;
import java.util.Arrays;
import java.util.Optional;

/**
 * Every event type: its CloudEvents {@code type}, the topic it travels on, its payload class and the
 * version of its schema. Adding a field keeps the version; removing or changing one bumps it.
 */
public enum EventType {
    RUN_REQUESTED("io.splicelab.run.requested", Topics.RUN_COMMANDS, RunRequested.class),
    RUN_CANCEL_REQUESTED("io.splicelab.run.cancel-requested", Topics.RUN_COMMANDS, RunCancelRequested.class),
    RUN_STARTED("io.splicelab.run.started", Topics.RUN_EVENTS, RunStarted.class),
    RUN_PROGRESS("io.splicelab.run.progress", Topics.RUN_EVENTS, RunProgress.class),
    RUN_COMPLETED("io.splicelab.run.completed", Topics.RUN_EVENTS, RunCompleted.class),
    RUN_FAILED("io.splicelab.run.failed", Topics.RUN_EVENTS, RunFailed.class),
    RUN_CANCELLED("io.splicelab.run.cancelled", Topics.RUN_EVENTS, RunCancelled.class),
    RUN_DELETED("io.splicelab.run.deleted", Topics.RUN_EVENTS, RunDeleted.class),
    CHECKPOINT_CREATED("io.splicelab.checkpoint.created", Topics.CHECKPOINTS, CheckpointCreated.class),
    CHECKPOINT_IMPORTED("io.splicelab.checkpoint.imported", Topics.CHECKPOINTS, CheckpointImported.class),
    HYBRID_EVALUATED("io.splicelab.hybrid.evaluated", Topics.HYBRID_RESULTS, HybridEvaluated.class),
    NOISE_SAMPLED("io.splicelab.noise.sampled", Topics.NOISE_SAMPLES, NoiseSampled.class),
    TC_SUMMARY_COMPUTED("io.splicelab.hybrid.summary", Topics.HYBRID_RESULTS, TcSummaryComputed.class),
    HYBRID_PROGRESS("io.splicelab.hybrid.progress", Topics.HYBRID_RESULTS, GridProgress.class),
    FEATURES_SNAPSHOTTED("io.splicelab.features.snapshotted", Topics.FEATURE_SNAPSHOTS, FeaturesSnapshotted.class),
    STATS_COMPUTED("io.splicelab.stats.computed", Topics.STATS_RESULTS, StatsComputed.class);

    public static final int SCHEMA_VERSION = 1;

    private final String type;
    private final String topic;
    private final Class<?> payloadClass;

    EventType(String type, String topic, Class<?> payloadClass) {
        this.type = type;
        this.topic = topic;
        this.payloadClass = payloadClass;
    }

    public String type() {
        return type;
    }

    public String topic() {
        return topic;
    }

    public Class<?> payloadClass() {
        return payloadClass;
    }

    /** The CloudEvents {@code dataschema} of this type. */
    public String dataschema() {
        return "urn:splicelab:schema:" + type + ":v" + SCHEMA_VERSION;
    }

    public static Optional<EventType> ofType(String type) {
        return Arrays.stream(values()).filter(t -> t.type.equals(type)).findFirst();
    }

    public static Optional<EventType> ofPayload(Class<?> payloadClass) {
        return Arrays.stream(values()).filter(t -> t.payloadClass.equals(payloadClass)).findFirst();
    }
}
