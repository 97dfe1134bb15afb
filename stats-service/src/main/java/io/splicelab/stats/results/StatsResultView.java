package io.splicelab.stats.results;

import com.fasterxml.jackson.core.type.TypeReference;
import io.splicelab.model.events.EventCodec;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A stored result as the REST API shows it: the same fields as the {@code StatsComputed} event, plus
 * when it was computed. Decoupled from the entity so that the table can change without breaking clients.
 */
public record StatsResultView(String runId, String analysis, String cut, String probeSet,
        @JsonInclude(JsonInclude.Include.NON_NULL) String evalSet,
        @JsonInclude(JsonInclude.Include.NON_NULL) String bnMode, List<Integer> steps,
        String shape, Map<String, Object> parameters, Map<String, Object> values, Instant computedAt) {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    public static StatsResultView of(StatsResult r) {
        try {
            List<Integer> steps = r.steps.isEmpty() ? List.of()
                    : Arrays.stream(r.steps.split(",")).map(Integer::valueOf).toList();
            return new StatsResultView(r.runId, r.analysis, r.cut, r.probeSet, blankToNull(r.evalSet),
                    blankToNull(r.bnMode), steps, r.shape,
                    EventCodec.mapper().readValue(r.parametersJson, MAP), EventCodec.mapper().readValue(r.valuesJson, MAP),
                    r.computedAt);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("stored result " + r.id + " is not valid JSON", e);
        }
    }

    private static String blankToNull(String name) {
        return name == null || name.isEmpty() ? null : name;
    }
}
