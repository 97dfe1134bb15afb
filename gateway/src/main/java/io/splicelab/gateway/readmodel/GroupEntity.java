package io.splicelab.gateway.readmodel;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Sort;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import org.hibernate.Length;

/**
 * An experiment group: runs the gateway launched together, differing in one factor of their configuration.
 * The run events carry no group, so groups are the gateway's own state (like {@link DeletedRunEntity}) and a
 * read-model rebuild keeps them.
 */
@Entity
@Table(name = "gw_groups")
public class GroupEntity extends PanacheEntityBase {
    @Id
    @Column(length = 64)
    public String id;

    @Column(length = 200)
    public String name;

    /** The configuration field that differs between the runs, e.g. {@code seed}. */
    @Column(nullable = false, length = 64)
    public String factor;

    /** The shared configuration (with defaults) as JSON. */
    @Column(length = Length.LONG32)
    public String baseConfigJson;

    @Column(nullable = false)
    public Instant createdAt;

    public static List<GroupEntity> newestFirst() {
        return listAll(Sort.descending("createdAt").and("id"));
    }
}
