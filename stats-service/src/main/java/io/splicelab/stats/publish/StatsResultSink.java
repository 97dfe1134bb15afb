package io.splicelab.stats.publish;

import io.splicelab.model.events.Payloads.StatsComputed;
import io.splicelab.stats.results.StatsResultRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/**
 * Where the results of one consumed record go: stored (upsert on the natural key), then published. The
 * order is the consumers' delivery rule in one place: a crash between the two redelivers the record, the
 * redo updates the same rows and publishes again, so nothing stored is lost or duplicated; publishing
 * first could announce a result the database never kept.
 */
@ApplicationScoped
public class StatsResultSink {
    private final StatsResultRepository repository;
    private final StatsEventPublisher publisher;

    public StatsResultSink(StatsResultRepository repository, StatsEventPublisher publisher) {
        this.repository = repository;
        this.publisher = publisher;
    }

    /** Stores every result with one computation time, then publishes each. */
    public void storeThenPublish(List<StatsComputed> results) {
        repository.upsertAll(results, Instant.now());
        results.forEach(publisher::publish);
    }
}
