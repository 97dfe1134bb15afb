package io.splicelab.gateway.readmodel;

import io.quarkus.panache.common.Sort;
import jakarta.persistence.AttributeOverride;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import java.util.List;
import org.hibernate.Length;

/**
 * The envelopes of a run in the order the gateway applied them, replayed to a live-stream client that
 * joins late. Unique by envelope id (a redelivered event is stored once) and, within a run, by natural key
 * ({@link NaturalKeys}: the same fact replayed with a new id after a service restart is stored once, a changed
 * one replaces the stored one); of a run's progress events only the latest is kept, because a late joiner needs
 * the current progress, not its history.
 */
@Entity
@Table(name = "gw_event_log",
        uniqueConstraints = @UniqueConstraint(name = "gw_event_log_event_id", columnNames = "eventId"),
        indexes = {@Index(name = "gw_event_log_run", columnList = "runId, seq"),
            @Index(name = "gw_event_log_natural_key", columnList = "runId, naturalKey")})
@AttributeOverride(name = "id", column = @Column(name = "seq")) // the id is the log's sequence number
public class EventLogEntity extends RunScopedRow {
    @Column(nullable = false, length = 128)
    public String eventId;

    @Column(nullable = false, length = 128)
    public String type;

    /** The event's natural key within its run ({@link NaturalKeys}); null for a type without one. */
    @Column(length = 255)
    public String naturalKey;

    /** sha256 of the event's data: a repeat under the same natural key with the same data is no news. */
    @Column(length = 64)
    public String dataSha256;

    /** The whole CloudEvents envelope as JSON. */
    @Column(nullable = false, length = Length.LONG32)
    public String envelopeJson;

    public static boolean exists(String eventId) {
        return count("eventId", eventId) > 0;
    }

    /** The stored event of a run with this natural key, if any. */
    public static java.util.Optional<EventLogEntity> byNaturalKey(String runId, String naturalKey) {
        return find("runId = ?1 and naturalKey = ?2", runId, naturalKey).firstResultOptional();
    }

    public static List<EventLogEntity> ofRun(String runId) {
        return list("runId", Sort.ascending("id"), runId);
    }

    /** Removes the run's stored events of a type (used to keep only the latest progress). */
    public static long deleteOfType(String runId, String type) {
        return delete("runId = ?1 and type = ?2", runId, type);
    }
}
