package io.splicelab.stats.results;

import jakarta.persistence.Column;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;

/**
 * What every row the service stores has in common: a generated surrogate id and the run it belongs to.
 * Each table's natural key starts with the run, and the report and the windows read rows run by run, so
 * the column is declared once here with the same length and nullability everywhere (a run id is a
 * contract value: at most 200 characters).
 */
@MappedSuperclass
public abstract class RunScopedRow {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "run_id", nullable = false, length = 200)
    public String runId;
}
