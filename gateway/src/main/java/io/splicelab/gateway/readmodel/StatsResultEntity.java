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
 * natural key (run, source, analysis, cut, probeSet, evalSet, bnMode, steps): the source is the producer's
 * CloudEvents source, so two plug-ins that use one analysis name keep a result each. The gateway stores it
 * generically, so a new analysis shows up without a change here. Absent names are stored as "" so the key stays
 * unique (rows from before source, evalSet and bnMode were keyed have null there and are found as "").
 */
@Entity
@Table(name = "gw_stats_results", uniqueConstraints = @UniqueConstraint(name = "gw_stats_results_source_key",
        columnNames = {"runId", "source", "analysis", "cut", "probeSet", "evalSet", "bnMode", "steps"}))
public class StatsResultEntity extends RunScopedRow {
    /** The CloudEvents source of the result's producer, e.g. {@code /stats-service}, {@code /plugins/cka}. */
    @Column(length = 256)
    public String source;

    @Column(nullable = false, length = 128)
    public String analysis;

    @Column(nullable = false, length = 128)
    public String cut;

    @Column(nullable = false, length = 128)
    public String probeSet;

    @Column(length = 128)
    public String evalSet;

    @Column(length = 128)
    public String bnMode;

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

    public static Optional<StatsResultEntity> find(String runId, String source, String analysis, String cut,
            String probeSet, String evalSet, String bnMode, String steps) {
        return find("runId = ?1 and coalesce(source, '') = ?2 and analysis = ?3 and cut = ?4 and probeSet = ?5"
                + " and coalesce(evalSet, '') = ?6 and coalesce(bnMode, '') = ?7 and steps = ?8", runId, source,
                analysis, cut, probeSet, evalSet, bnMode, steps).firstResultOptional();
    }
}
