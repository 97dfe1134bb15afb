package io.splicelab.gateway.readmodel;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;

/**
 * What every row of a run's results has in common: a generated surrogate id (the order in which rows first
 * appeared) and the run it belongs to. Every such table's natural key starts with the run and every reader
 * reads it run by run, so the column is declared once, with the same length and nullability everywhere (a
 * run id is a CloudEvents subject the gateway accepts: 1 to 64 characters). The columns keep their names
 * ({@code id}, {@code runId}) in each subclass's own table.
 */
@MappedSuperclass
public abstract class RunScopedRow extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, length = 64)
    public String runId;
}
