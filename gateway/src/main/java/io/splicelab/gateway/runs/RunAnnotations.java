package io.splicelab.gateway.runs;

import com.fasterxml.jackson.databind.JsonNode;
import io.splicelab.edge.problem.ProblemException;
import io.splicelab.gateway.readmodel.DeletedRunEntity;
import io.splicelab.gateway.readmodel.RunEntity;
import io.splicelab.gateway.readmodel.RunLabelEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Names, tags and notes of runs ({@link RunLabels}), kept in the gateway's own table ({@link RunLabelEntity}): no
 * event carries them, so a read-model rebuild keeps them and deleting the run forgets them.
 */
@ApplicationScoped
@Transactional
public class RunAnnotations {
    /**
     * Applies a merge patch to a run's labels.
     *
     * @return the run's labels after the patch
     * @throws ProblemException 404 for an unknown (or deleted) run, 400 naming a bad field
     */
    public RunLabels patch(String runId, JsonNode patch) {
        if (RunEntity.findById(runId) == null || DeletedRunEntity.isDeleted(runId)) {
            throw ProblemException.notFound("no run " + runId);
        }
        RunLabelEntity row = RunLabelEntity.ofRun(runId).orElse(null);
        RunLabels labels = (row == null ? RunLabels.NONE : of(row)).patch(patch);
        boolean created = row == null;
        if (created) {
            row = new RunLabelEntity();
            row.runId = runId;
        }
        row.name = labels.name();
        row.tags = String.join(",", labels.tags());
        row.notes = labels.notes();
        row.updatedAt = Instant.now();
        if (created) {
            row.persist();
        }
        return labels;
    }

    /** A run's labels, {@link RunLabels#NONE} when it has none. */
    public static RunLabels of(String runId) {
        return RunLabelEntity.ofRun(runId).map(RunAnnotations::of).orElse(RunLabels.NONE);
    }

    /** The labels of the given runs that have some, by run id (one query). */
    public static Map<String, RunLabels> of(Collection<String> runIds) {
        Map<String, RunLabels> labels = new HashMap<>();
        if (runIds.isEmpty()) {
            return labels;
        }
        RunLabelEntity.<RunLabelEntity>list("runId in ?1", List.copyOf(runIds))
                .forEach(row -> labels.put(row.runId, of(row)));
        return labels;
    }

    private static RunLabels of(RunLabelEntity row) {
        return new RunLabels(row.name, row.tags.isEmpty() ? List.of() : Arrays.asList(row.tags.split(",")), row.notes);
    }
}
