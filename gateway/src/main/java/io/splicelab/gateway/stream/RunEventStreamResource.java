package io.splicelab.gateway.stream;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.splicelab.edge.problem.ProblemException;
import io.splicelab.gateway.runs.RunQueries;
import io.splicelab.model.events.Envelope;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * One run's events as server-sent events: what the run has produced so far (from the event log), then live
 * events, with nothing lost or repeated in between. Blocking because it reads the database before streaming.
 */
@Path("/api/runs/{id}/events")
@Tag(name = "events")
public class RunEventStreamResource {
    private final RunQueries runs;
    private final EventBroadcaster broadcaster;
    private final SseStreams streams;

    public RunEventStreamResource(RunQueries runs, EventBroadcaster broadcaster, SseStreams streams) {
        this.runs = runs;
        this.broadcaster = broadcaster;
        this.streams = streams;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    @Operation(summary = "The run's events so far, then live ones, as server-sent events")
    public Multi<OutboundSseEvent> events(@PathParam("id") String id, @Context Sse sse) {
        if (!runs.exists(id)) {
            throw ProblemException.notFound("no run " + id);
        }
        // subscribe before reading the replay: whatever commits in between is buffered, then de-duplicated
        LiveFeed feed = broadcaster.subscribe(id);
        List<Envelope> replay;
        try {
            replay = runs.storedEvents(id);
        } catch (RuntimeException e) {
            broadcaster.remove(feed);
            throw e;
        }
        return streams.toSse(broadcaster.stream(feed, replay), sse);
    }
}
