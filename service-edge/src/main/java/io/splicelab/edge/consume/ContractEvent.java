package io.splicelab.edge.consume;

import io.splicelab.model.events.Envelope;
import io.splicelab.model.events.EventType;

/**
 * An event that passed the consumer rule: its envelope, its typed payload, its (valid) run id, and where it
 * was read. What a handler receives.
 *
 * @param <P> the payload record
 */
public record ContractEvent<P>(EventType type, Envelope envelope, P payload, String runId, IncomingRecord source) {
}
