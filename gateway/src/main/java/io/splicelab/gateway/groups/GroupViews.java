package io.splicelab.gateway.groups;

import com.fasterxml.jackson.databind.JsonNode;
import io.splicelab.gateway.runs.RunViews.RunSummary;
import io.splicelab.model.events.RunConfig;
import java.time.Instant;
import java.util.List;

/** The JSON shapes of the experiment-group endpoints. */
public final class GroupViews {
    private GroupViews() {
    }

    /**
     * A request for a group of runs: the shared configuration and the values of the one field that differs.
     *
     * @param name a label for humans (optional)
     * @param factor a field of the run configuration, e.g. {@code seed} or {@code widthMultiplier}
     * @param values one value per run, e.g. {@code [1, 2, 3]}
     * @param config the shared configuration; defaults apply to every field left out
     */
    public record GroupRequest(String name, String factor, List<JsonNode> values, RunConfig config) {
    }

    /** The answer to a group request: the runs were accepted, one per value. */
    public record GroupAccepted(String groupId, String name, String factor, List<Member> runs) {
    }

    /** A run of the group with its factor value. */
    public record Member(String runId, JsonNode value) {
    }

    /** A group in the list. */
    public record GroupSummary(String groupId, String name, String factor, int runs, Instant createdAt) {
    }

    /** A group with its runs side by side, in the order of the request. */
    public record GroupDetail(String groupId, String name, String factor, JsonNode config, List<GroupRun> runs,
            Instant createdAt) {
    }

    /** A run of the group: its factor value and its current state. */
    public record GroupRun(JsonNode value, RunSummary run) {
    }
}
