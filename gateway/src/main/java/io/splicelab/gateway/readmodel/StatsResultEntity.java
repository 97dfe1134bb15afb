package io.splicelab.gateway.readmodel;

import io.quarkus.panache.common.Sort;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hibernate.Length;

/**
 * A result of a statistical analysis (from the stats service or any plugged-in consumer), upserted by its
 * natural key (run, analysis, cut, probeSet, steps). The gateway stores it generically, so a new analysis
 * shows up without a change here. Absent cut or probe set are stored as "" so the key stays unique.
 */
@Entity
@Table(name = "gw_stats_results", uniqueConstraints = @UniqueConstraint(name = "gw_stats_results_natural_key",
        columnNames = {"runId", "analysis", "cut", "probeSet", "steps"}))
public class StatsResultEntity extends RunScopedRow {
    @Column(nullable = false, length = 128)
    public String analysis;

    @Column(nullable = false, length = 128)
    public String cut;

    @Column(nullable = false, length = 128)
    public String probeSet;

    /** The checkpoint steps, comma separated in the order given. */
    @Column(nullable = false, length = 2000)
    public String steps;

    @Column(length = 32)
    public String shape;

    @Column(length = Length.LONG32)
    public String parametersJson;

    @Column(length = Length.LONG32)
    public String valuesJson;

    @Column(nullable = false)
    public Instant updatedAt;

    public static List<StatsResultEntity> ofRun(String runId) {
        return list("runId", Sort.ascending("id"), runId);
    }

    public static Optional<StatsResultEntity> find(String runId, String analysis, String cut, String probeSet,
            String steps) {
        return find("runId = ?1 and analysis = ?2 and cut = ?3 and probeSet = ?4 and steps = ?5", runId, analysis, cut,
                probeSet, steps).firstResultOptional();
    }
}
