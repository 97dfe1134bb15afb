package io.splicelab.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.splicelab.model.events.EventCodec;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunsTableTest {
    static JsonNode json(String text) throws Exception {
        return EventCodec.mapper().readTree(text);
    }

    @Test
    void oneAlignedLinePerRunWithDashesForWhatIsUnknown() throws Exception {
        JsonNode done = json("{\"runId\":\"run-a\",\"status\":\"COMPLETED\",\"step\":240,\"totalSteps\":240,"
                + "\"cells\":75,\"grid\":{\"cellsExpected\":75},\"testAccuracy\":0.51234,"
                + "\"createdAt\":\"2026-12-02T10:01:30.123Z\",\"config\":{\"name\":\"baseline\"}}");
        JsonNode waiting = json("{\"runId\":\"run-longer-id\",\"status\":\"REQUESTED\",\"config\":{\"steps\":60},"
                + "\"cells\":0,\"createdAt\":\"2026-12-02T11:00:00Z\"}");
        assertEquals("""
                RUN            NAME      STATUS     STEPS    CELLS  TEST ACC  CREATED (UTC)
                run-a          baseline  COMPLETED  240/240  75/75  0.512     2026-12-02 10:01
                run-longer-id  -         REQUESTED  0/60     0      -         2026-12-02 11:00
                """, RunsTable.render(List.of(done, waiting)));
    }

    @Test
    void aRunOfTheListWithoutDetailStillHasALine() throws Exception {
        assertEquals("""
                RUN  NAME  STATUS  STEPS  CELLS  TEST ACC  CREATED (UTC)
                r    -     -       -      -      -         -
                """, RunsTable.render(List.of(json("{\"runId\":\"r\"}"))));
    }
}
