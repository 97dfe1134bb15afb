package io.splicelab.stats.results;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import java.time.Instant;

/**
 * One stored analysis result. The natural key (run, analysis, cut, probe set, evaluation set, BatchNorm mode,
 * steps; absent names stored as "") is unique in the database, so a redelivered snapshot updates its row instead of adding one. Parameters and values are
 * kept as the JSON that travelled in the event: the service stores results, it does not query inside
 * them. Tables are prefixed {@code stats_} because the gateway may share the database.
 */
@Entity
@Table(name = "stats_result",
        uniqueConstraints = @UniqueConstraint(name = "stats_result_natural_key",
                columnNames = {"run_id", "analysis", "cut", "probe_set", "eval_set", "bn_mode", "steps"}),
        indexes = @Index(name = "stats_result_run", columnList = "run_id"))
public class StatsResult extends RunScopedRow {
    @Column(nullable = false, length = 100)
    public String analysis;

    @Column(nullable = false, length = 100)
    public String cut;

    @Column(name = "probe_set", nullable = false, length = 100)
    public String probeSet;

    /** The evaluation set of the hybrid grid the result is about; "" for none (and in rows from before it). */
    @Column(name = "eval_set", length = 100)
    public String evalSet;

    /** The BatchNorm mode of the hybrid grid the result is about; "" for none. */
    @Column(name = "bn_mode", length = 100)
    public String bnMode;

    /** The checkpoint step(s), comma-separated in order ("40" or "10,20,30"). */
    @Column(nullable = false, length = 1000)
    public String steps;

    @Column(nullable = false, length = 20)
    public String shape;

    @Column(name = "parameters_json", nullable = false, length = 100_000)
    public String parametersJson;

    @Column(name = "values_json", nullable = false, length = 1_000_000)
    public String valuesJson;

    @Column(name = "computed_at", nullable = false)
    public Instant computedAt;
}
