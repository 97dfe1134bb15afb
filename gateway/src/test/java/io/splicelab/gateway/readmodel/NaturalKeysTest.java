package io.splicelab.gateway.readmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splicelab.model.events.EventType;
import io.splicelab.model.events.Payloads.HybridEvaluated;
import io.splicelab.model.events.Payloads.RunProgress;
import io.splicelab.model.events.Payloads.StatsComputed;
import io.splicelab.model.events.Payloads.TcSummaryComputed;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class NaturalKeysTest {
    static String key(EventType type, Object payload) {
        return NaturalKeys.of(type.type(), payload);
    }

    @Test
    void theSameFactHasTheSameKeyAndAnotherFactAnother() {
        String cell = key(EventType.HYBRID_EVALUATED, new HybridEvaluated("r", "stem", "test", "carry", "float32", 0,
                50, 500, Map.of("accuracy", 0.8)));
        assertEquals(cell, key(EventType.HYBRID_EVALUATED, new HybridEvaluated("r", "stem", "test", "carry",
                "float16", 0, 50, 400, Map.of("accuracy", 0.7))), "metrics are data, not identity");
        assertNotEquals(cell, key(EventType.HYBRID_EVALUATED, new HybridEvaluated("r", "stem", "test", "carry",
                "float32", 50, 0, 500, Map.of())), "the other order is another cell");
        assertNotEquals(cell, key(EventType.HYBRID_EVALUATED, new HybridEvaluated("r", "stem", "test", "recompute",
                "float32", 0, 50, 500, Map.of())));
        assertNotEquals(key(EventType.RUN_PROGRESS, new RunProgress("r", 10, 100, 1, 1, 1, 1)),
                key(EventType.RUN_PROGRESS, new RunProgress("r", 20, 100, 1, 1, 1, 1)));
        assertEquals(key(EventType.TC_SUMMARY_COMPUTED, new TcSummaryComputed("r", "stem", "test", "carry",
                List.of(0, 50), Map.of(), 0.5, null, 0.9)), key(EventType.TC_SUMMARY_COMPUTED, new TcSummaryComputed(
                        "r", "stem", "test", "carry", List.of(0, 50, 100), Map.of(), 0.6, 100, 0.9)),
                "a summary grows with the grid: one per (cut, evalSet, bnMode)");
        assertNotEquals(key(EventType.STATS_COMPUTED, new StatsComputed("r", "cka", "stem", "p", List.of(0, 50),
                "scalar", Map.of(), Map.of())), key(EventType.STATS_COMPUTED, new StatsComputed("r", "cka", "stem",
                        "p", List.of(0, 100), "scalar", Map.of(), Map.of())));
    }

    @Test
    void longKeysAreHashedToFitTheColumn() {
        List<Integer> steps = IntStream.range(0, 400).boxed().toList();
        String k = key(EventType.STATS_COMPUTED, new StatsComputed("r", "cka", "stem", "p", steps, "scalar",
                Map.of(), Map.of()));
        assertTrue(k.length() <= 255, k);
        assertEquals(k, key(EventType.STATS_COMPUTED, new StatsComputed("r", "cka", "stem", "p", steps, "series",
                Map.of(), Map.of())));
    }

    /**
     * An analysis result is keyed by its producer too (two plug-ins may use one analysis name), and by the evaluation
     * set and BatchNorm mode it is about; a result without them keeps its earlier key parts.
     */
    @Test
    void anAnalysisResultIsKeyedByItsSourceEvaluationSetAndBatchNormMode() {
        String type = EventType.STATS_COMPUTED.type();
        StatsComputed plain = new StatsComputed("r", "cka", "stem", "p", List.of(0), "scalar", Map.of(), Map.of());
        assertEquals(NaturalKeys.of(type, "/plugins/a", plain), NaturalKeys.of(type, "/plugins/a",
                new StatsComputed("r", "cka", "stem", "p", null, null, List.of(0), "table", Map.of(), Map.of())));
        assertNotEquals(NaturalKeys.of(type, "/plugins/a", plain), NaturalKeys.of(type, "/plugins/b", plain));
        assertNotEquals(NaturalKeys.of(type, "/plugins/a", plain), NaturalKeys.of(type, "/plugins/a",
                new StatsComputed("r", "cka", "stem", "p", "test", "carry", List.of(0), "scalar", Map.of(), Map.of())));
        assertNotEquals(NaturalKeys.of(type, "/plugins/a", new StatsComputed("r", "cka", "stem", "p", "test", "carry",
                List.of(0), "scalar", Map.of(), Map.of())), NaturalKeys.of(type, "/plugins/a", new StatsComputed("r",
                        "cka", "stem", "p", "test", "recalibrate", List.of(0), "scalar", Map.of(), Map.of())));
        assertNotEquals(NaturalKeys.of(type, "/plugins/a", new StatsComputed("r", "cka", "stem", "p", "test", null,
                List.of(0), "scalar", Map.of(), Map.of())), NaturalKeys.of(type, "/plugins/a", new StatsComputed("r",
                        "cka", "stem", "p", "fog-3", null, List.of(0), "scalar", Map.of(), Map.of())));
    }
}
