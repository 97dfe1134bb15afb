package io.splicelab.stats.results;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import java.time.Instant;

/**
 * An input the service has accepted (its artifact read and verified): a feature snapshot of one probe set
 * at a step, or the noise (and parameter update) of a step. Windowed analyses need the inputs of earlier
 * checkpoints of the run; keeping the artifact references here (not the data, which stays in the artifact
 * store and is re-read with its sha256 checked) makes those windows survive restarts and redeliveries.
 * Natural key (run, kind, step, probe set): a redelivered input updates its row.
 */
@Entity
@Table(name = "stats_input",
        uniqueConstraints = @UniqueConstraint(name = "stats_input_natural_key",
                columnNames = {"run_id", "kind", "step", "probe_set"}),
        indexes = @Index(name = "stats_input_run", columnList = "run_id, kind"))
public class AnalysisInput extends RunScopedRow {
    public static final String KIND_FEATURES = "features";
    public static final String KIND_NOISE = "noise";

    /** {@link #KIND_FEATURES} or {@link #KIND_NOISE}. */
    @Column(nullable = false, length = 20)
    public String kind;

    @Column(nullable = false)
    public int step;

    /** The probe set of a snapshot; "" for noise. */
    @Column(name = "probe_set", nullable = false, length = 100)
    public String probeSet;

    /** The main artifact (features or noise) as ArtifactRef JSON. */
    @Column(name = "artifact_json", nullable = false, length = 4000)
    public String artifactJson;

    /** The parameter-update artifact of a noise input (ArtifactRef JSON), or null. */
    @Column(name = "update_json", length = 4000)
    public String updateJson;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;
}
