package io.splicelab.edge.deadletter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splicelab.model.events.DeadLetters;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;

class DeadLetterTest {
    private static String header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void writesEveryHeaderOfTheConvention() {
        Headers h = new DeadLetter("run-1", "{}", "splicelab.hybrid-results", 2, 41L, "bad", "id-1",
                "io.splicelab.hybrid.evaluated").headers("stats-service");
        assertEquals("bad", header(h, DeadLetters.REASON_HEADER));
        assertEquals("splicelab.hybrid-results", header(h, DeadLetters.SOURCE_TOPIC_HEADER));
        assertEquals("stats-service", header(h, DeadLetters.SERVICE_HEADER));
        assertEquals("2", header(h, DeadLetters.SOURCE_PARTITION_HEADER));
        assertEquals("41", header(h, DeadLetters.SOURCE_OFFSET_HEADER));
        assertEquals("id-1", header(h, DeadLetters.EVENT_ID_HEADER));
        assertEquals("io.splicelab.hybrid.evaluated", header(h, DeadLetters.EVENT_TYPE_HEADER));
    }

    @Test
    void leavesOutWhatIsUnknownAndCutsLongReasons() {
        Headers h = new DeadLetter(null, null, "t", null, null, "x".repeat(5000), null, null).headers("s");
        assertNull(h.lastHeader(DeadLetters.SOURCE_PARTITION_HEADER));
        assertNull(h.lastHeader(DeadLetters.EVENT_ID_HEADER));
        assertTrue(header(h, DeadLetters.REASON_HEADER).length() <= DeadLetter.MAX_REASON + 3);
        assertEquals("unknown", header(new DeadLetter(null, null, "t", null, null, " ", null, null).headers("s"),
                DeadLetters.REASON_HEADER));
    }
}
