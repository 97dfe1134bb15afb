package io.splicelab.stats;

import io.splicelab.model.events.Envelope;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.EventType;

/** Decoding of the records the stats consumers take: one envelope of one expected type, or a clear reason why not. */
final class EventRecords {
    private EventRecords() {
    }

    /**
     * @return the payload of a record value that is an envelope of {@code type}
     * @throws UnprocessableRecordException naming what is wrong (no value, not an envelope, another type)
     */
    static <T> T decode(String value, EventType type, Class<T> payload) {
        if (value == null) {
            throw new UnprocessableRecordException("record has no value");
        }
        try {
            Envelope envelope = EventCodec.decode(value);
            if (!type.type().equals(envelope.type())) {
                throw new UnprocessableRecordException("unexpected event type " + envelope.type());
            }
            return EventCodec.payload(envelope, payload);
        } catch (EventCodec.InvalidEventException e) {
            throw new UnprocessableRecordException(e.getMessage(), e);
        }
    }
}
