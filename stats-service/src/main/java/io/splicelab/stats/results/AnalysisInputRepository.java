package io.splicelab.stats.results;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import io.splicelab.model.events.ArtifactRef;
import io.splicelab.model.events.EventCodec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The accepted inputs of windowed analyses, by natural key; upsert as for results (one consumer per run
 * and topic, in order, and the unique constraint as backstop).
 */
@ApplicationScoped
public class AnalysisInputRepository implements PanacheRepository<AnalysisInput> {

    /** Records (or refreshes) an accepted input. */
    @Transactional
    public void record(String runId, String kind, int step, String probeSet, ArtifactRef artifact, ArtifactRef update) {
        AnalysisInput row = find("runId = ?1 and kind = ?2 and step = ?3 and probeSet = ?4", runId, kind, step,
                probeSet).firstResultOptional().orElseGet(AnalysisInput::new);
        row.runId = runId;
        row.kind = kind;
        row.step = step;
        row.probeSet = probeSet;
        row.artifactJson = EventCodec.toJson(artifact);
        row.updateJson = update == null ? null : EventCodec.toJson(update);
        row.receivedAt = Instant.now();
        if (row.id == null) {
            persist(row);
        }
    }

    /** The update artifacts of noise inputs of the run before {@code step}, newest first, at most {@code limit}. */
    @Transactional
    public List<Map.Entry<Integer, ArtifactRef>> updatesBefore(String runId, int step, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return find("runId = ?1 and kind = ?2 and step < ?3 and updateJson is not null", Sort.descending("step"),
                runId, AnalysisInput.KIND_NOISE, step).page(0, limit).list().stream()
                .map(r -> Map.entry(r.step, ref(r.updateJson))).toList();
    }

    /** Feature snapshots of the run up to {@code step}: step -> probe set -> artifact, steps ascending. */
    @Transactional
    public TreeMap<Integer, Map<String, ArtifactRef>> snapshotsUpTo(String runId, int step) {
        TreeMap<Integer, Map<String, ArtifactRef>> out = new TreeMap<>();
        for (AnalysisInput r : list("runId = ?1 and kind = ?2 and step <= ?3", Sort.ascending("step"), runId,
                AnalysisInput.KIND_FEATURES, step)) {
            out.computeIfAbsent(r.step, s -> new TreeMap<>()).put(r.probeSet, ref(r.artifactJson));
        }
        return out;
    }

    /** The probe sets with a snapshot at a step. */
    @Transactional
    public Set<String> probeSetsAt(String runId, int step) {
        Set<String> out = new TreeSet<>();
        for (AnalysisInput r : list("runId = ?1 and kind = ?2 and step = ?3", runId, AnalysisInput.KIND_FEATURES,
                step)) {
            out.add(r.probeSet);
        }
        return out;
    }

    private static ArtifactRef ref(String json) {
        try {
            return EventCodec.mapper().readValue(json, ArtifactRef.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("stored artifact reference is not valid JSON", e);
        }
    }
}
