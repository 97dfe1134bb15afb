package io.splicelab.gateway.stream;

import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Live events of every run as server-sent events (no replay), e.g. for a dashboard's run list. */
@Path("/api/events")
@Tag(name = "events")
public class EventStreamResource {
    private final EventBroadcaster broadcaster;
    private final SseStreams streams;

    public EventStreamResource(EventBroadcaster broadcaster, SseStreams streams) {
        this.broadcaster = broadcaster;
        this.streams = streams;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Live events of every run, as server-sent events")
    public Multi<OutboundSseEvent> events(@Context Sse sse) {
        return streams.toSse(broadcaster.stream(broadcaster.subscribe(null), List.of()), sse);
    }
}
