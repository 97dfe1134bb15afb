package io.splicelab.gateway;

import static io.splicelab.gateway.ItSupport.STATS;
import static io.splicelab.gateway.ItSupport.TRAINER;
import static io.splicelab.gateway.ItSupport.await;
import static io.splicelab.gateway.ItSupport.awaitRun;
import static io.splicelab.gateway.ItSupport.startedRun;
import static io.splicelab.gateway.ItSupport.openStream;
import static io.splicelab.gateway.ItSupport.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.splicelab.gateway.ItSupport.SseClient;
import io.splicelab.gateway.stream.EventBroadcaster;
import io.splicelab.model.events.Envelope;
import io.splicelab.model.events.Payloads.RunProgress;
import io.splicelab.model.events.Payloads.StatsComputed;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Live streams with misbehaving clients: one killed mid-stream (its TCP connection reset) and one that stops
 * reading. The other clients keep receiving every event, in order.
 */
@QuarkusTest
class StreamingIT {
    @TestHTTPResource("/")
    URL base;

    @Inject
    EventBroadcaster broadcaster;

    @Test
    void killingAStreamingClientMidStreamLeavesTheOthersReceiving() throws Exception {
        String runId = startedRun("kill");
        awaitRun(runId);
        int connected;
        try (SseClient all1 = openStream(base.toURI(), "/api/events");
                SseClient all2 = openStream(base.toURI(), "/api/events");
                SseClient run = openStream(base.toURI(), "/api/runs/" + runId + "/events");
                Socket victim = rawStream(base, "/api/runs/" + runId + "/events")) {
            run.next(); // the replayed RunRequested
            run.next(); // the replayed RunStarted

            String first = publish(progress(runId, 1));
            all1.nextWithId(first);
            all2.nextWithId(first);
            run.nextWithId(first);
            assertTrue(readUntil(victim.getInputStream(), first), "the victim got the first live event");
            // (clients of earlier tests may still be unregistering: compare with the count now, downwards only)
            connected = broadcaster.clients();
            assertTrue(connected >= 4, "four clients connected");

            victim.setSoLinger(true, 0); // close with a reset: the client is killed, not politely gone
            victim.close();
            int withVictim = connected;
            await(() -> broadcaster.clients() <= withVictim - 1, "the killed client is unregistered");

            List<String> sent = new ArrayList<>();
            for (int step = 2; step <= 30; step++) {
                sent.add(publish(progress(runId, step)));
            }
            for (String id : sent) {
                all1.nextWithId(id);
                all2.nextWithId(id);
                assertEquals(id, run.next().id(), "the run stream gets every event in order");
            }
        }
        int all = connected;
        await(() -> broadcaster.clients() <= all - 4, "every client unregistered after closing");
    }

    @Test
    void aClientThatStopsReadingDoesNotStallTheOthers() throws Exception {
        String runId = startedRun("stall");
        awaitRun(runId);
        String padding = "x".repeat(20_000);
        try (Socket stalled = rawStream(base, "/api/events"); SseClient reader = openStream(base.toURI(), "/api/events")) {
            stalled.setReceiveBufferSize(4096);
            List<String> sent = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < 150; i++) {
                Envelope e = STATS.wrap(runId, new StatsComputed(runId, "padding", "stem", "probe", List.of(i), "scalar",
                        Map.of(), Map.of("i", i, "padding", padding)));
                sent.add(publish(e));
            }
            for (String id : sent) {
                reader.nextWithId(id);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(seconds < 60, "the reading client got 150 large events in " + seconds + " s");
        }
    }

    private static Envelope progress(String runId, int step) {
        return TRAINER.wrap(runId, new RunProgress(runId, step, 100, 2.0 / step, step / 100.0, 0.05, 100));
    }

    /** A bare HTTP/1.1 stream request on a socket, so the test can kill or stall the client at will. */
    private static Socket rawStream(URL base, String path) throws Exception {
        URI uri = base.toURI();
        Socket socket = new Socket(uri.getHost(), uri.getPort());
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    /** Reads the raw stream until the text appears. */
    private static boolean readUntil(InputStream in, String text) throws Exception {
        StringBuilder seen = new StringBuilder();
        byte[] buffer = new byte[8192];
        long deadline = System.nanoTime() + ItSupport.WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            int n = in.read(buffer);
            if (n < 0) {
                return false;
            }
            seen.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            if (seen.indexOf(text) >= 0) {
                return true;
            }
        }
        return false;
    }
}
