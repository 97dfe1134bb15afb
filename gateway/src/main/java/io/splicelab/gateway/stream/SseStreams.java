package io.splicelab.gateway.stream;

import io.smallrye.mutiny.Multi;
import io.splicelab.model.events.Envelope;
import io.splicelab.model.events.EventCodec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The wire format of the live streams, in one place: one SSE event per CloudEvent ({@code id} = envelope id,
 * {@code event} = CloudEvents type, {@code data} = the envelope JSON on one line), plus a comment every
 * heartbeat interval (and one at once) so proxies keep an idle stream open and clients see it is alive.
 */
@ApplicationScoped
public class SseStreams {
    private final Duration heartbeat;

    public SseStreams(@ConfigProperty(name = "splicelab.stream.heartbeat", defaultValue = "15s") Duration heartbeat) {
        this.heartbeat = heartbeat;
    }

    public Multi<OutboundSseEvent> toSse(Multi<Envelope> events, Sse sse) {
        Multi<OutboundSseEvent> data = events.map(e -> sse.newEventBuilder().id(e.id()).name(e.type())
                .mediaType(MediaType.TEXT_PLAIN_TYPE).data(String.class, EventCodec.toJson(e)).build());
        Multi<OutboundSseEvent> beats = Multi.createFrom().ticks().startingAfter(Duration.ofMillis(1)).every(heartbeat)
                .onOverflow().drop()
                .map(t -> sse.newEventBuilder().comment("heartbeat").build());
        return Multi.createBy().merging().streams(data, beats);
    }
}
