package io.splicelab.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.splicelab.model.events.EventCodec;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClaimsFollowerTest {

    @Test
    void aLineSaysWhatEveryVariantIsDoing() throws Exception {
        var detail = EventCodec.mapper().readTree("""
                {"status": "running", "runs": 4, "settled": 1, "variants": [
                  {"name": "baseline", "runs": [
                    {"seed": 1, "status": "COMPLETED", "gridStatus": "complete", "settled": true},
                    {"seed": 2, "status": "COMPLETED", "gridStatus": "computing", "settled": false}]},
                  {"name": "random-labels", "runs": [
                    {"seed": 1, "status": "RUNNING", "step": 300, "totalSteps": 720, "settled": false},
                    {"seed": 2, "status": "REQUESTED", "step": 0, "totalSteps": 720, "settled": false}]}]}
                """);
        assertEquals("1/4 runs settled | baseline 1/2 (seed 2 grid computing) | random-labels 0/2 (seed 1 training "
                + "300/720)", ClaimsFollower.describe(detail));
        assertEquals("12:05", ClaimsFollower.clock(Duration.ofSeconds(725)));
    }
}
