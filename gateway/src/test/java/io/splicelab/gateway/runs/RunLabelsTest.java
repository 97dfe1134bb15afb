package io.splicelab.gateway.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.splicelab.edge.problem.ProblemException;
import io.splicelab.model.events.EventCodec;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunLabelsTest {
    private static JsonNode json(String text) throws Exception {
        return EventCodec.mapper().readTree(text);
    }

    private static String field(RunLabels labels, String patch) {
        ProblemException e = assertThrows(ProblemException.class, () -> labels.patch(json(patch)));
        assertEquals(400, e.problem().status());
        return e.problem().errors().get(0).field();
    }

    @Test
    void aMergePatchKeepsWhatItLeavesOutAndClearsWhatIsNull() throws Exception {
        RunLabels labels = RunLabels.NONE.patch(json("{\"name\":\"  lr 0.4 \",\"tags\":[\"baseline\",\"lr-sweep\","
                + "\"baseline\"],\"notes\":\"warm-up off\\nsecond line\"}"));
        assertEquals(new RunLabels("lr 0.4", List.of("baseline", "lr-sweep"), "warm-up off\nsecond line"), labels);
        RunLabels renamed = labels.patch(json("{\"name\":\"lr 0.2\"}"));
        assertEquals(new RunLabels("lr 0.2", List.of("baseline", "lr-sweep"), "warm-up off\nsecond line"), renamed);
        RunLabels cleared = renamed.patch(json("{\"name\":null,\"tags\":null,\"notes\":\"  \"}"));
        assertEquals(RunLabels.NONE, cleared);
        assertNull(labels.patch(json("{\"name\":\"\"}")).name(), "an empty name is no name");
    }

    @Test
    void aBadFieldIsNamed() {
        RunLabels labels = RunLabels.NONE;
        assertEquals("body", field(labels, "[1]"));
        assertEquals("colour", field(labels, "{\"colour\":\"red\"}"));
        assertEquals("name", field(labels, "{\"name\":3}"));
        assertEquals("name", field(labels, "{\"name\":\"" + "x".repeat(RunLabels.MAX_NAME + 1) + "\"}"));
        assertEquals("name", field(labels, "{\"name\":\"two\\nlines\"}"));
        assertEquals("tags", field(labels, "{\"tags\":\"baseline\"}"));
        assertEquals("tags[1]", field(labels, "{\"tags\":[\"ok\",\"a,b\"]}"));
        assertEquals("tags[0]", field(labels, "{\"tags\":[7]}"));
        assertEquals("tags[0]", field(labels, "{\"tags\":[\"\"]}"));
        assertEquals("tags[0]", field(labels, "{\"tags\":[\"" + "t".repeat(RunLabels.MAX_TAG + 1) + "\"]}"));
        StringBuilder many = new StringBuilder("{\"tags\":[");
        for (int i = 0; i <= RunLabels.MAX_TAGS; i++) {
            many.append(i == 0 ? "" : ",").append("\"t").append(i).append('"');
        }
        assertEquals("tags", field(labels, many.append("]}").toString()));
        assertEquals("notes", field(labels, "{\"notes\":\"" + "n".repeat(RunLabels.MAX_NOTES + 1) + "\"}"));
        assertEquals("notes", field(labels, "{\"notes\":\"bell\\u0007\"}"));
    }
}
