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
        String evalSet = orEmpty(r.evalSet());
        String bnMode = orEmpty(r.bnMode());
        StatsResult row = findByKey(r.runId(), r.analysis(), r.cut(), r.probeSet(), evalSet, bnMode, steps)
                .orElseGet(() -> {
            StatsResult fresh = new StatsResult();
            fresh.runId = r.runId();
            fresh.analysis = r.analysis();
            fresh.cut = r.cut();
            fresh.probeSet = r.probeSet();
            fresh.evalSet = evalSet;
            fresh.bnMode = bnMode;
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

    /** A result about no evaluation set or BatchNorm mode, by its natural key. */
    public Optional<StatsResult> findByKey(String runId, String analysis, String cut, String probeSet, String steps) {
        return findByKey(runId, analysis, cut, probeSet, "", "", steps);
    }

    /**
     * A result by its natural key; "" for an absent evaluation set or mode, which also finds the rows stored before
     * they were keyed (null there).
     */
    public Optional<StatsResult> findByKey(String runId, String analysis, String cut, String probeSet, String evalSet,
            String bnMode, String steps) {
        return find("runId = ?1 and analysis = ?2 and cut = ?3 and probeSet = ?4 and coalesce(evalSet, '') = ?5"
                + " and coalesce(bnMode, '') = ?6 and steps = ?7", runId, analysis, cut, probeSet, evalSet, bnMode,
                steps).firstResultOptional();
    }

    private static String orEmpty(String name) {
        return name == null ? "" : name;
    }

    /** Every result of a run, in a stable order. */
    public List<StatsResult> listByRun(String runId) {
        return list("runId", Sort.by("analysis").and("cut").and("probeSet").and("id"), runId);
    }
}
