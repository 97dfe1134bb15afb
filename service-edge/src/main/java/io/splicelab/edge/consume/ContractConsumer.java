package io.splicelab.edge.consume;

import com.fasterxml.jackson.databind.JsonNode;
import io.splicelab.edge.deadletter.DeadLetter;
import io.splicelab.edge.deadletter.DeadLetterSink;
import io.splicelab.edge.health.FatalErrors;
import io.splicelab.model.events.Envelope;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.EventType;
import io.splicelab.model.events.RunIds;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * The one rule every consumer of the contract follows, so that no record can stop a channel:
 * <ol>
 * <li>the value is a CloudEvents envelope ({@link EventCodec#decode});</li>
 * <li>its type is one this consumer accepts (an unknown type, or a type of another topic, is named as such);</li>
 * <li>its data is a valid payload of that type and carries a run id that follows {@link RunIds};</li>
 * <li>the envelope's subject and the record's key are that run id;</li>
 * <li>a run that was deleted ({@link Builder#deletedRuns}: the gateway's deletion marker in the store) has its events
 * skipped, not dead-lettered: they stay in Kafka after the run's artifacts are gone; only {@code run.deleted} itself
 * goes on to its handler;</li>
 * <li>the handler of the type gets the typed {@link ContractEvent}; an accepted type without a handler
 * ({@link Builder#ignore}) is checked and then skipped.</li>
 * </ol>
 * Any {@link Exception} from any step, the handler's included (not a fixed list: a
 * NullPointerException of a bug is as much a reason as a bad artifact), sends the record to the dead-letter
 * topic with the reason, and the record is acknowledged: the channel goes on with the next one. An
 * {@link Error} is recorded in {@link FatalErrors} (liveness DOWN) and rethrown, the record unacknowledged.
 * An interruption (shutdown) is rethrown too: the record is not at fault and comes back after the restart.
 * When the dead letter itself cannot be stored (broker down), that failure propagates: the record is not
 * acknowledged, so it is never lost.
 *
 * <p>Build one per channel with {@link RecordGate#consumer(String)}, then call {@link #accept(ConsumerRecord)}
 * or {@link #accept(Message)} from the {@code @Incoming} method.
 */
public final class ContractConsumer {
    private static final Logger LOG = Logger.getLogger(ContractConsumer.class);

    /** What happened to a record. */
    public enum Outcome {
        /** Its handler ran. */
        HANDLED,
        /** A valid record of an accepted type without a handler. */
        IGNORED,
        /** Sent to the dead-letter topic. */
        DEAD_LETTERED
    }

    /** Handles one valid event of a type; may throw anything, which dead-letters the record. */
    @FunctionalInterface
    public interface Handler<P> {
        void handle(ContractEvent<P> event) throws Exception;
    }

    private final String channel;
    private final Map<EventType, Handler<Object>> handlers;
    private final DeadLetterSink deadLetters;
    private final FatalErrors fatalErrors;
    private final Predicate<String> deletedRuns;

    private ContractConsumer(String channel, Map<EventType, Handler<Object>> handlers, DeadLetterSink deadLetters,
            FatalErrors fatalErrors, Predicate<String> deletedRuns) {
        this.channel = channel;
        this.deletedRuns = deletedRuns;
        this.handlers = Collections.unmodifiableMap(new EnumMap<>(handlers));
        this.deadLetters = deadLetters;
        this.fatalErrors = fatalErrors;
    }

    /** A builder outside CDI (tests, plain consumers); in a service use {@link RecordGate#consumer(String)}. */
    public static Builder builder(String channel, DeadLetterSink deadLetters, FatalErrors fatalErrors) {
        return new Builder(channel, deadLetters, fatalErrors);
    }

    /** The event types this consumer accepts. */
    public java.util.Set<EventType> accepted() {
        return handlers.keySet();
    }

    /** Applies the rule to a record; returns normally unless an Error or a failed dead letter must propagate. */
    public Outcome accept(ConsumerRecord<String, String> record) {
        return process(IncomingRecord.of(record));
    }

    /**
     * Applies the rule to a message and acknowledges it (handled, ignored or dead-lettered); nacks it when the
     * dead letter could not be stored, and rethrows an Error.
     */
    public CompletionStage<Void> accept(Message<String> message) {
        try {
            process(IncomingRecord.of(message));
        } catch (DeadLetterFailedException | InterruptedRecordException e) {
            return message.nack(e.getCause());
        }
        return message.ack();
    }

    /** The rule itself, on a record in any form. */
    public Outcome process(IncomingRecord record) {
        Envelope envelope = null;
        try {
            if (record.value() == null) {
                return deadLetter(record, null, "record has no value");
            }
            try {
                envelope = EventCodec.decode(record.value());
            } catch (EventCodec.InvalidEventException e) {
                return deadLetter(record, null, e.getMessage());
            }
            String problem = checkType(envelope.type(), record.topic());
            if (problem != null) {
                return deadLetter(record, envelope, problem);
            }
            EventType type = EventType.ofType(envelope.type()).orElseThrow();
            Object payload = EventCodec.payload(envelope, type.payloadClass());
            JsonNode runIdNode = envelope.data().get("runId");
            String runId = runIdNode == null || !runIdNode.isTextual() ? null : runIdNode.asText();
            RunIds.requireValid(runId);
            if (!runId.equals(envelope.subject())) {
                return deadLetter(record, envelope, "subject " + RunIds.quote(envelope.subject())
                        + " does not match the payload's runId '" + runId + "'");
            }
            if (record.topic() != null && !runId.equals(record.key())) {
                return deadLetter(record, envelope, "key " + RunIds.quote(record.key())
                        + " does not match the payload's runId '" + runId + "' (records are keyed by run id)");
            }
            if (type != EventType.RUN_DELETED && deletedRuns.test(runId)) {
                LOG.debugf("record %s on channel %s: run %s was deleted, skipped", record.where(), channel, runId);
                return Outcome.IGNORED;
            }
            Handler<Object> handler = handlers.get(type);
            if (handler == null) {
                return Outcome.IGNORED;
            }
            handler.handle(new ContractEvent<>(type, envelope, payload, runId, record));
            return Outcome.HANDLED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedRecordException(e);
        } catch (DeadLetterFailedException e) {
            throw e;
        } catch (Exception e) {
            if (Thread.currentThread().isInterrupted()) {
                // shutting down: whatever failed, the record is not at fault
                throw new InterruptedRecordException(e);
            }
            LOG.debugf(e, "record %s failed on channel %s", record.where(), channel);
            return deadLetter(record, envelope, reason(e));
        } catch (Error e) {
            fatalErrors.record(e, "channel " + channel + " (record " + record.where() + ")");
            throw e;
        }
    }

    /** Null when the type is accepted, else why not. */
    private String checkType(String type, String topic) {
        var known = EventType.ofType(type);
        if (known.isEmpty()) {
            return "unknown event type " + RunIds.quote(type);
        }
        if (handlers.containsKey(known.get())) {
            return null;
        }
        if (topic != null && !known.get().topic().equals(topic)) {
            return "event type " + type + " belongs on " + known.get().topic() + ", not on " + topic;
        }
        return "event type " + type + " is not accepted by " + channel + " (accepted: "
                + handlers.keySet().stream().map(EventType::type).sorted().toList() + ")";
    }

    private Outcome deadLetter(IncomingRecord record, Envelope envelope, String reason) {
        DeadLetter letter = new DeadLetter(record.key(), record.value(), record.topic() == null ? channel
                : record.topic(), record.partition(), record.offset(), reason,
                envelope == null ? null : envelope.id(), envelope == null ? null : envelope.type());
        try {
            deadLetters.send(letter);
        } catch (RuntimeException e) {
            LOG.errorf(e, "could not dead-letter %s (%s); it stays unacknowledged", record.where(), reason);
            throw new DeadLetterFailedException(e);
        }
        return Outcome.DEAD_LETTERED;
    }

    /** The reason of an exception: its type, its message, and its cause's when that says more. */
    static String reason(Throwable e) {
        StringBuilder out = new StringBuilder(e.getClass().getSimpleName());
        if (e.getMessage() != null) {
            out.append(": ").append(e.getMessage());
        }
        Throwable cause = e.getCause();
        if (cause != null && cause != e && cause.getMessage() != null
                && (e.getMessage() == null || !e.getMessage().contains(cause.getMessage()))) {
            out.append(" (caused by ").append(cause.getClass().getSimpleName()).append(": ")
                    .append(cause.getMessage()).append(')');
        }
        return out.toString();
    }

    /** The dead letter could not be stored: the record must stay unacknowledged. */
    public static final class DeadLetterFailedException extends RuntimeException {
        DeadLetterFailedException(Throwable cause) {
            super("the dead letter could not be stored: " + cause.getMessage(), cause);
        }
    }

    /** The thread was interrupted (shutdown) while the record was processed: it stays unacknowledged. */
    public static final class InterruptedRecordException extends RuntimeException {
        InterruptedRecordException(Throwable cause) {
            super("interrupted while processing a record", cause);
        }
    }

    /** Declares the types a consumer accepts: each with its handler, or ignored. */
    public static final class Builder {
        private final String channel;
        private final DeadLetterSink deadLetters;
        private final FatalErrors fatalErrors;
        private final Map<EventType, Handler<Object>> handlers = new EnumMap<>(EventType.class);
        private Predicate<String> deletedRuns = runId -> false;

        Builder(String channel, DeadLetterSink deadLetters, FatalErrors fatalErrors) {
            this.channel = Objects.requireNonNull(channel);
            this.deadLetters = Objects.requireNonNull(deadLetters);
            this.fatalErrors = Objects.requireNonNull(fatalErrors);
        }

        /** Accepts a type and hands its events to {@code handler}. */
        @SuppressWarnings("unchecked")
        public <P> Builder on(EventType type, Class<P> payload, Handler<P> handler) {
            if (!type.payloadClass().equals(payload)) {
                throw new IllegalArgumentException(type + " carries " + type.payloadClass().getSimpleName() + ", not "
                        + payload.getSimpleName());
            }
            handlers.put(type, (Handler<Object>) (Handler<?>) Objects.requireNonNull(handler));
            return this;
        }

        /** Accepts types that share the topic but this consumer does not need: checked, then skipped. */
        public Builder ignore(EventType... types) {
            for (EventType type : types) {
                handlers.put(type, null);
            }
            return this;
        }

        /** Whether a run was deleted: its events are then skipped (default: no run ever is). */
        public Builder deletedRuns(Predicate<String> deleted) {
            this.deletedRuns = Objects.requireNonNull(deleted);
            return this;
        }

        public ContractConsumer build() {
            if (handlers.values().stream().allMatch(Objects::isNull)) {
                throw new IllegalStateException("consumer " + channel + " handles no event type");
            }
            return new ContractConsumer(channel, handlers, deadLetters, fatalErrors, deletedRuns);
        }
    }
}
