package io.splicelab.local;

import java.util.Optional;

/**
 * Server-sent events, one line at a time (the text/event-stream format of the HTML standard): {@code event:},
 * {@code data:} (several lines join with a newline), {@code id:}; a line starting with {@code :} is a comment;
 * a blank line dispatches the event. Pure, no I/O.
 */
public final class SseParser {
    /** One dispatched event; {@code event} is {@code message} when the server named none. */
    public record SseEvent(String event, String data, String id) {
    }

    private String event;
    private StringBuilder data;
    private String lastEventId;

    /** Feeds one line (without its line terminator); returns the event a blank line completes. */
    public Optional<SseEvent> line(String line) {
        if (line == null) {
            return Optional.empty();
        }
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        if (line.isEmpty()) {
            return dispatch();
        }
        if (line.startsWith(":")) {
            return Optional.empty();
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "event" -> event = value;
            case "data" -> {
                if (data == null) {
                    data = new StringBuilder(value);
                } else {
                    data.append('\n').append(value);
                }
            }
            case "id" -> {
                if (!value.contains("\0")) {
                    lastEventId = value;
                }
            }
            default -> {
                // "retry" and unknown fields: nothing to do for a reader
            }
        }
        return Optional.empty();
    }

    /** The end of the stream: an event without its closing blank line is dropped, as the standard says. */
    public void reset() {
        event = null;
        data = null;
    }

    /** The last {@code id:} seen, for a {@code Last-Event-ID} header on reconnect. */
    public String lastEventId() {
        return lastEventId;
    }

    private Optional<SseEvent> dispatch() {
        if (data == null) {
            event = null;
            return Optional.empty();
        }
        SseEvent e = new SseEvent(event == null || event.isEmpty() ? "message" : event, data.toString(), lastEventId);
        event = null;
        data = null;
        return Optional.of(e);
    }
}
