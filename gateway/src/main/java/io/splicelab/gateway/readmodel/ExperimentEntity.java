package io.splicelab.gateway.readmodel;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Sort;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hibernate.Length;

/**
 * An experiment: runs the gateway launched together as variants (merge patches of a base configuration) times
 * seeds. Like groups, the gateway's own state (run events carry no experiment), so a read-model rebuild keeps it.
 * Names are unique (a constraint, not only a check), so an experiment can be found by name.
 */
@Entity
@Table(name = "gw_experiments", uniqueConstraints = @UniqueConstraint(name = "gw_experiments_name",
        columnNames = "name"))
public class ExperimentEntity extends PanacheEntityBase {
    /** {@code kind} of an experiment started through {@code POST /api/experiments}. */
    public static final String KIND_EXPERIMENT = "experiment";
    /** {@code kind} of the paper's claims experiment ({@code POST /api/claims}). */
    public static final String KIND_CLAIMS = "claims";

    @Id
    @Column(length = 64)
    public String id;

    @Column(nullable = false, length = 200)
    public String name;

    @Column(nullable = false, length = 32)
    public String kind;

    /** The base configuration as sent. */
    @Column(length = Length.LONG32)
    public String baseJson;

    /** The variants' merge patches, a JSON object in the order of the request. */
    @Column(length = Length.LONG32)
    public String variantsJson;

    /** The seeds, a JSON array. */
    @Column(length = 4000)
    public String seedsJson;

    @Column(nullable = false)
    public Instant createdAt;

    public static List<ExperimentEntity> newestFirst() {
        return listAll(Sort.descending("createdAt").and("id"));
    }

    public static Optional<ExperimentEntity> byName(String name) {
        return find("name", name).firstResultOptional();
    }
}
