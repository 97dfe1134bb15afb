package io.splicelab.gateway.readmodel;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;
import org.hibernate.Length;

/**
 * What a researcher wrote about a run: its name, tags and notes. No event carries them, so they are the gateway's
 * own state, not a projection: a read-model rebuild keeps them, deleting the run forgets them ({@link RunRows}).
 */
@Entity
@Table(name = "gw_run_labels")
public class RunLabelEntity extends RunKeyedRow {
    /** The run's name, null when it has none. */
    @Column(length = 200)
    public String name;

    /** The tags, comma-separated in the order given (a tag has no comma), empty when none. */
    @Column(nullable = false, length = 2000)
    public String tags = "";

    /** Free text, null when none. */
    @Column(length = Length.LONG32)
    public String notes;

    @Column(nullable = false)
    public Instant updatedAt;

    public static Optional<RunLabelEntity> ofRun(String runId) {
        return findByIdOptional(runId);
    }
}
