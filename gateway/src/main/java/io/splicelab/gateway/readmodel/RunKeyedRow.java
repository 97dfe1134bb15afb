package io.splicelab.gateway.readmodel;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;

/**
 * A table with at most one row per run (a deletion, a grid's progress, a group membership): the run id is the
 * primary key, so "the latest wins" is an upsert by id and the database itself refuses a second row.
 */
@MappedSuperclass
public abstract class RunKeyedRow extends PanacheEntityBase {
    @Id
    @Column(length = 64)
    public String runId;
}
