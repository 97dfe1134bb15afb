package io.splicelab.model.plugin;

import io.splicelab.model.events.DeadLetters;
import io.splicelab.model.events.Envelope;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.EventCodec.InvalidEventException;
import io.splicelab.model.events.EventType;
import io.splicelab.model.events.Payloads.StatsComputed;
import io.splicelab.model.events.Topics;
import io.splicelab.model.events.RunIds;
import io.splicelab.model.store.ArtifactStore;
import io.splicelab.model.store.RunArtifacts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The transport-free core of a plugged-in consumer: turns one incoming record (topic, key, JSON value) into
 * the records to send (results, or a dead letter), calling the {@link AnalysisConsumer} in between. A runner
 * only moves records between Kafka and this class, so the behaviour is the same for every runner and is
 * testable without a broker.
 *
 * <ul>
 * <li>a record that is not a valid CloudEvent of schema version 1, or whose data does not fit its type:
 * dead letter with the reason;</li>
 * <li>a known type the consumer did not ask for, or a type this version does not know: skipped (newer
 * producers may add types; a consumer only reads what it understands);</li>
 * <li>an event of a deleted run (the gateway's deletion marker {@code RunArtifacts.deletionMarker} is in the
 * store): skipped, not dead-lettered, since its artifacts are gone; {@code run.deleted} itself goes to a consumer
 * that asked for it, to drop what it holds of the run;</li>
 * <li>the consumer throws: dead letter with the exception's message; results it published for the record
 * are dropped;</li>
 * <li>otherwise: its results as {@code StatsComputed} CloudEvents on {@code splicelab.stats-results}, keyed
 * by run id, with source {@code /plugins/<name>} and the structured-mode {@code content-type} header.</li>
 * </ul>
 *
 * Not thread-safe: one dispatcher per consumer thread.
 */
public final class EventDispatcher {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    private final AnalysisConsumer consumer;
    private final ArtifactStore store;
    private final EventCodec codec;
    private final String serviceName;

    public EventDispatcher(AnalysisConsumer consumer, ArtifactStore store) {
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.store = Objects.requireNonNull(store, "store");
        if (!NAME.matcher(consumer.name()).matches()) {
            throw new IllegalArgumentException("consumer name must be 1-100 of [A-Za-z0-9._-]: " + consumer.name());
        }
        this.serviceName = "plugin-" + consumer.name();
        this.codec = new EventCodec(source(consumer));
    }

    /** The CloudEvents source of a consumer's results. */
    public static String source(AnalysisConsumer consumer) {
        return "/plugins/" + consumer.name();
    }

    /** The default consumer group of a consumer. */
    public static String defaultGroupId(AnalysisConsumer consumer) {
        return "splicelab-plugin-" + consumer.name();
    }

    public AnalysisConsumer consumer() {
        return consumer;
    }

    /**
     * Handles one record.
     *
     * @return the records to send, in order (empty when the record was skipped)
     */
    public List<OutgoingRecord> dispatch(String topic, String key, String value) {
        Envelope envelope;
        EventType type;
        Object payload;
        try {
            if (value == null) {
                throw new InvalidEventException("empty record (tombstone)");
            }
            envelope = EventCodec.decode(value);
            var known = EventType.ofType(envelope.type());
            if (known.isEmpty() || !consumer.eventTypes().contains(known.get())) {
                return List.of();
            }
            type = known.get();
            if (type != EventType.RUN_DELETED && RunIds.isValid(envelope.subject())
                    && store.exists(RunArtifacts.deletionMarker(envelope.subject()))) {
                return List.of();
            }
            payload = EventCodec.payload(envelope, type.payloadClass());
        } catch (InvalidEventException e) {
            return List.of(deadLetter(topic, key, value, e.getMessage()));
        }
        Collector collector = new Collector();
        try {
            consumer.onEvent(new ReceivedEvent(topic, key, type, envelope, payload), collector);
        } catch (Exception e) {
            return List.of(deadLetter(topic, key, value, reason(e)));
        }
        return collector.records;
    }

    /** Lets the consumer publish what it accumulated over a batch; call after each polled batch. */
    public List<OutgoingRecord> endBatch() {
        Collector collector = new Collector();
        consumer.onBatchEnd(collector);
        return collector.records;
    }

    private OutgoingRecord deadLetter(String topic, String key, String value, String reason) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(DeadLetters.REASON_HEADER, reason == null ? "unknown" : reason);
        headers.put(DeadLetters.SOURCE_TOPIC_HEADER, topic == null ? "" : topic);
        headers.put(DeadLetters.SERVICE_HEADER, serviceName);
        return new OutgoingRecord(Topics.DEAD_LETTERS, key, value, headers);
    }

    private static String reason(Exception e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }

    /** Collects the results of one call, so nothing is sent for a record that fails half-way. */
    private final class Collector implements PluginContext {
        private final List<OutgoingRecord> records = new ArrayList<>();

        @Override
        public ArtifactStore artifacts() {
            return store;
        }

        @Override
        public void publish(StatsComputed result) {
            StatsResults.check(result);
            records.add(new OutgoingRecord(Topics.STATS_RESULTS, result.runId(), codec.encode(result.runId(), result),
                    Map.of(EventCodec.CONTENT_TYPE_HEADER, EventCodec.STRUCTURED_CONTENT_TYPE)));
        }
    }
}
