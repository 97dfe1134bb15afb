package io.splicelab.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.splicelab.model.events.EventCodec;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Follows an experiment on a gateway until every run is settled (finished, and a completed run's grid done), one line
 * whenever its progress changes, then writes its claims report (JSON) and prints it as text. Polls
 * {@code GET /api/experiments/{id}}: an experiment is a handful of runs, and a poll every few seconds is all the
 * liveness a quarter-hour job needs.
 */
public final class ClaimsFollower {
    static final Duration POLL = Duration.ofSeconds(3);

    private final GatewayClient client;
    private final PrintStream out;

    public ClaimsFollower(GatewayClient client, PrintStream out) {
        this.client = client;
        this.out = out;
    }

    /** How following ended. */
    public enum Outcome {
        FINISHED, TIMED_OUT
    }

    /**
     * @return {@link Outcome#FINISHED} once every run is settled, {@link Outcome#TIMED_OUT} at the deadline (the
     *     report is written either way, provisional when the experiment had not finished)
     */
    public Outcome follow(String experimentId, Duration timeout, Path report) throws IOException, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        String last = null;
        Outcome outcome = Outcome.TIMED_OUT;
        while (System.nanoTime() < deadline) {
            JsonNode detail;
            try {
                detail = client.experiment(experimentId);
            } catch (GatewayClient.GatewayException e) {
                throw e;
            } catch (IOException e) {
                // the gateway restarting: the supervisor brings it back, the experiment is in its database
                Thread.sleep(POLL.toMillis());
                continue;
            }
            String line = describe(detail);
            if (!line.equals(last)) {
                out.println("[" + clock(Duration.ofNanos(System.nanoTime() - start)) + "] " + line);
                last = line;
            }
            if ("finished".equals(detail.path("status").asText())) {
                outcome = Outcome.FINISHED;
                break;
            }
            Thread.sleep(POLL.toMillis());
        }
        JsonNode claims = client.claims(experimentId);
        Files.writeString(report, EventCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(claims)
                + System.lineSeparator());
        out.println();
        out.print(client.claimsText(experimentId));
        out.println();
        out.println("report written to " + report.toAbsolutePath());
        return outcome;
    }

    static String clock(Duration d) {
        return String.format(Locale.ROOT, "%02d:%02d", d.toMinutes(), d.toSecondsPart());
    }

    /**
     * One line of an experiment's progress: settled runs, and per variant its runs' states, e.g.
     * {@code 4/9 runs settled | baseline 3/3 | random-labels 1/3 (seed 2 training 300/720) | frozen 0/3}.
     */
    static String describe(JsonNode detail) {
        List<String> parts = new ArrayList<>();
        parts.add(detail.path("settled").asInt() + "/" + detail.path("runs").asInt() + " runs settled");
        for (JsonNode v : detail.path("variants")) {
            int settled = 0;
            List<String> busy = new ArrayList<>();
            for (JsonNode r : v.path("runs")) {
                if (r.path("settled").asBoolean()) {
                    settled++;
                    continue;
                }
                String status = r.path("status").asText("");
                if ("RUNNING".equals(status)) {
                    busy.add(String.format(Locale.ROOT, "seed %d training %d/%d", r.path("seed").asLong(),
                            r.path("step").asInt(), r.path("totalSteps").asInt()));
                } else if ("COMPLETED".equals(status)) {
                    busy.add("seed " + r.path("seed").asLong() + " grid " + r.path("gridStatus").asText("pending"));
                }
            }
            parts.add(v.path("name").asText() + " " + settled + "/" + v.path("runs").size()
                    + (busy.isEmpty() ? "" : " (" + String.join(", ", busy) + ")"));
        }
        return String.join(" | ", parts);
    }
}
