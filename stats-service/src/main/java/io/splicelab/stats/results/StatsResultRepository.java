package io.splicelab.stats.results;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.Payloads.StatsComputed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Stores results by their natural key. Upsert = find by key, then update or insert, in one transaction:
 * safe because every record of a run is consumed by one consumer in order (Kafka key = run id), and the
 * unique constraint is the backstop if that ever stops being true.
 */
@ApplicationScoped
public class StatsResultRepository implements PanacheRepository<StatsResult> {

    /** The steps column: the checkpoint steps, comma-separated. */
    public static String stepsKey(List<Integer> steps) {
        return steps.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** Inserts or updates every result, all or nothing. */
    @Transactional
    public void upsertAll(List<StatsComputed> results, Instant computedAt) {
        for (StatsComputed r : results) {
            upsert(r, computedAt);
        }
    }

    private void upsert(StatsComputed r, Instant computedAt) {
        String steps = stepsKey(r.steps());
        StatsResult row = findByKey(r.runId(), r.analysis(), r.cut(), r.probeSet(), steps).orElseGet(() -> {
            StatsResult fresh = new StatsResult();
            fresh.runId = r.runId();
            fresh.analysis = r.analysis();
            fresh.cut = r.cut();
            fresh.probeSet = r.probeSet();
            fresh.steps = steps;
            return fresh;
        });
        row.shape = r.shape();
        row.parametersJson = EventCodec.toJson(r.parameters());
        row.valuesJson = EventCodec.toJson(r.values());
        row.computedAt = computedAt;
        if (row.id == null) {
            persist(row);
        }
    }

    public Optional<StatsResult> findByKey(String runId, String analysis, String cut, String probeSet, String steps) {
        return find("runId = ?1 and analysis = ?2 and cut = ?3 and probeSet = ?4 and steps = ?5", runId, analysis,
                cut, probeSet, steps).firstResultOptional();
    }

    /** Every result of a run, in a stable order. */
    public List<StatsResult> listByRun(String runId) {
        return list("runId", Sort.by("analysis").and("cut").and("probeSet").and("id"), runId);
    }
}
