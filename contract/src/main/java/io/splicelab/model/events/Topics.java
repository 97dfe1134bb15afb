package io.splicelab.model.events;

import java.util.List;

/**
 * The public Kafka topics. Every record is keyed by run id so that one run's events stay ordered on
 * one partition and instances of a consumer group split runs between them.
 */
public final class Topics {
    /** Commands to the trainer: start a run. */
    public static final String RUN_COMMANDS = "splicelab.run-commands";
    /** Run lifecycle: started, progress, completed, failed, cancelled (the trainer) and deleted (the gateway). */
    public static final String RUN_EVENTS = "splicelab.run-events";
    /** One event per checkpoint written to the artifact store. */
    public static final String CHECKPOINTS = "splicelab.checkpoints";
    /** One event per evaluated hybrid cell. */
    public static final String HYBRID_RESULTS = "splicelab.hybrid-results";
    /** SGD noise matrices (and parameter updates) sampled at checkpoints, as artifacts. */
    public static final String NOISE_SAMPLES = "splicelab.noise-samples";
    /** Probe-set features at every cut of a checkpoint, as an artifact. */
    public static final String FEATURE_SNAPSHOTS = "splicelab.feature-snapshots";
    /** Results of statistical analyses, from the stats service or any plugged-in consumer. */
    public static final String STATS_RESULTS = "splicelab.stats-results";
    /** Records that could not be processed, with the reason in the header {@code splicelab-reason}. */
    public static final String DEAD_LETTERS = "splicelab.dead-letters";

    public static final List<String> ALL = List.of(RUN_COMMANDS, RUN_EVENTS, CHECKPOINTS, NOISE_SAMPLES,
            HYBRID_RESULTS, FEATURE_SNAPSHOTS, STATS_RESULTS, DEAD_LETTERS);

    private Topics() {
    }
}
