package io.splicelab.gateway.stream;

import io.smallrye.mutiny.Multi;
import io.splicelab.model.events.Envelope;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Fans the events the read model has just committed out to every connected stream client. Publishing only
 * hands each event to the clients' bounded buffers, so a slow client never stalls the Kafka consumer or
 * the other clients; it is dropped when its buffer overflows.
 */
@ApplicationScoped
public class EventBroadcaster {
    private static final Logger LOG = Logger.getLogger(EventBroadcaster.class);

    private final Set<LiveFeed> feeds = new CopyOnWriteArraySet<>();
    private final int capacity;

    public EventBroadcaster(@ConfigProperty(name = "splicelab.stream.client-buffer", defaultValue = "1024") int capacity) {
        this.capacity = capacity;
    }

    /** Hands a committed event to every client following its run (or every run). */
    public void publish(Envelope envelope) {
        for (LiveFeed feed : feeds) {
            try {
                if (!feed.offer(envelope)) {
                    remove(feed);
                }
            } catch (RuntimeException e) {
                LOG.debugf("dropping a stream client: %s", e);
                remove(feed);
            }
        }
    }

    /** Registers a client; from now on its live events are buffered until {@link #stream} attaches it. */
    public LiveFeed subscribe(String runId) {
        LiveFeed feed = new LiveFeed(runId, capacity);
        feeds.add(feed);
        return feed;
    }

    /** Unregisters a client. */
    public void remove(LiveFeed feed) {
        feeds.remove(feed);
        feed.close();
    }

    /** The number of connected clients. */
    public int clients() {
        return feeds.size();
    }

    /**
     * The client's stream: the replayed events, then the live ones (buffered meanwhile), without the live
     * events that the replay already contained. The stream fails when the client falls more than its buffer
     * behind; when it ends in any way the client is unregistered.
     */
    public Multi<Envelope> stream(LiveFeed feed, List<Envelope> replay) {
        Set<String> replayed = new java.util.HashSet<>();
        replay.forEach(e -> replayed.add(e.id()));
        Multi<Envelope> live = Multi.createFrom().<Envelope>emitter(feed::attach)
                .onOverflow().buffer(feed.capacity())
                .select().where(e -> !replayed.contains(e.id()));
        return Multi.createFrom().iterable(replay)
                .onCompletion().switchTo(live)
                .onTermination().invoke(() -> remove(feed));
    }
}
