package io.splicelab.gateway.readmodel;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A run a user deleted. Its events stay in Kafka (the topics are the shared log, not the gateway's to
 * rewrite), so the gateway remembers the deletion and ignores the run's events, live or replayed. This is
 * the gateway's own state, not a projection: a read-model rebuild keeps it.
 */
@Entity
@Table(name = "gw_deleted_runs")
public class DeletedRunEntity extends RunKeyedRow {
    @Column(nullable = false)
    public Instant deletedAt;

    public static boolean isDeleted(String runId) {
        return findById(runId) != null;
    }
}
