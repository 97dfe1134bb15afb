package io.splicelab.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splicelab.local.SseParser.SseEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {

    private static List<SseEvent> feed(SseParser p, String text) {
        List<SseEvent> out = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            p.line(line).ifPresent(out::add);
        }
        return out;
    }

    @Test
    void namedEventWithJsonData() {
        List<SseEvent> events = feed(new SseParser(), """
                event: io.splicelab.run.progress
                id: 7
                data: {"type":"io.splicelab.run.progress","data":{"step":5}}

                """);
        assertEquals(1, events.size());
        assertEquals("io.splicelab.run.progress", events.get(0).event());
        assertEquals("{\"type\":\"io.splicelab.run.progress\",\"data\":{\"step\":5}}", events.get(0).data());
        assertEquals("7", events.get(0).id());
    }

    @Test
    void multiLineDataJoinsWithNewlinesAndCommentsAreIgnored() {
        List<SseEvent> events = feed(new SseParser(), """
                : keep-alive
                data: {"a":
                data:1}

                data:second

                """);
        assertEquals(2, events.size());
        assertEquals("{\"a\":\n1}", events.get(0).data());
        assertEquals("message", events.get(0).event(), "an unnamed event is a message");
        assertEquals("second", events.get(1).data(), "no space after the colon is fine too");
    }

    @Test
    void crlfLinesBlankLinesWithoutDataAndUnknownFields() {
        SseParser p = new SseParser();
        assertTrue(p.line("retry: 1000\r").isEmpty());
        assertTrue(p.line("event: ping\r").isEmpty());
        assertTrue(p.line("\r").isEmpty(), "an event without data is not dispatched");
        assertTrue(p.line("data: x\r").isEmpty());
        SseEvent e = p.line("\r").orElseThrow();
        assertEquals("message", e.event(), "the earlier event name was reset with the empty event");
        assertEquals("x", e.data());
        assertNull(e.id());
    }

    @Test
    void anUnfinishedEventIsDroppedOnReset() {
        SseParser p = new SseParser();
        p.line("event: io.splicelab.run.completed");
        p.line("data: {}");
        p.reset();
        assertTrue(p.line("").isEmpty());
        p.line("id: 42");
        p.line("data: y");
        assertEquals("42", p.line("").orElseThrow().id());
        assertEquals("42", p.lastEventId());
    }
}
