package io.splicelab.gateway.readmodel;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Sort;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import org.hibernate.Length;

/**
 * A run as the gateway sees it: the latest known state, folded from the run's events. It is a read model
 * (a projection of the topics), so it can always be rebuilt by replaying the topics from the beginning.
 */
@Entity
@Table(name = "gw_runs")
public class RunEntity extends PanacheEntityBase {
    @Id
    @Column(length = 64)
    public String id;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public RunStatus status;

    /** The run configuration as JSON; null when the run was first seen through an event without one. */
    @Column(length = Length.LONG32)
    public String configJson;

    public Integer step;
    public Integer totalSteps;
    public Double loss;
    /** The accuracy on the latest training minibatch (the API's {@code trainBatchAccuracy}). */
    public Double accuracy;
    /** The final checkpoint's accuracy on the whole test split, from run.completed; null before. */
    public Double finalTestAccuracy;
    /** How many test images {@code finalTestAccuracy} is over. */
    public Integer finalTestSamples;
    public Double imagesPerSecond;
    /**
     * Steps of the run whose loss or gradient was not finite and that the trainer rolled back and replayed
     * (the latest progress's count; null before the first progress that carried one).
     */
    public Integer recoveries;

    @Column(length = 4000)
    public String failure;

    @Column(nullable = false)
    public Instant createdAt;

    @Column(nullable = false)
    public Instant updatedAt;

    public static List<RunEntity> newestFirst() {
        return listAll(Sort.descending("createdAt").and("id"));
    }
}
