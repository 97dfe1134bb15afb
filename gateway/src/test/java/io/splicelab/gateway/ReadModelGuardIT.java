package io.splicelab.gateway;

import static io.restassured.RestAssured.given;
import static io.splicelab.gateway.ItSupport.CONFIG;
import static io.splicelab.gateway.ItSupport.SPLICER;
import static io.splicelab.gateway.ItSupport.TRAINER;
import static io.splicelab.gateway.ItSupport.await;
import static io.splicelab.gateway.ItSupport.checkpoint;
import static io.splicelab.gateway.ItSupport.consumeUntil;
import static io.splicelab.gateway.ItSupport.newRunId;
import static io.splicelab.gateway.ItSupport.startedRun;
import static io.splicelab.gateway.ItSupport.openStream;
import static io.splicelab.gateway.ItSupport.publish;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.splicelab.gateway.runs.RunQueries;
import io.splicelab.model.events.ArtifactRef;
import io.splicelab.model.events.Envelope;
import io.splicelab.model.events.Payloads.CheckpointCreated;
import io.splicelab.model.events.Payloads.GridProgress;
import io.splicelab.model.events.Payloads.NoiseSampled;
import io.splicelab.model.events.Payloads.RunCompleted;
import io.splicelab.model.events.Payloads.RunStarted;
import io.splicelab.model.events.Topics;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The read model applies only what is consistent with what it knows (the rest is dead-lettered with the reason and
 * the contract's headers), keeps one event per natural key across a service's restart, and shows the grid's
 * progress.
 */
@QuarkusTest
class ReadModelGuardIT {
    @TestHTTPResource("/")
    URL base;

    @Inject
    RunQueries queries;

    static String header(ConsumerRecord<String, String> r, String name) {
        return r.headers().lastHeader(name) == null ? null
                : new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @Test
    void aRunNobodyRequestedIsDeadLetteredNotListed() {
        String phantom = newRunId("phantom");
        publish(TRAINER.wrap(phantom, new RunStarted(phantom, CONFIG, CONFIG.checkpointSteps())));
        ConsumerRecord<String, String> dead = consumeUntil(Topics.DEAD_LETTERS, r -> phantom.equals(r.key()));
        assertTrue(header(dead, "splicelab-reason").contains("never requested"), header(dead, "splicelab-reason"));
        assertEquals(Topics.RUN_EVENTS, header(dead, "splicelab-source-topic"));
        assertEquals("gateway", header(dead, "splicelab-service"));
        assertTrue(header(dead, "splicelab-source-offset").matches("\\d+"));
        given().get("/api/runs/" + phantom).then().statusCode(404);
    }

    @Test
    void aStartThatOvertookItsRequestIsAppliedWhenTheTrainerStoredTheCommand() {
        String runId = newRunId("overtaken");
        // the trainer stores the command before it publishes run.started; the request is on another topic
        ItSupport.writeFile("runs/" + runId + "/started.json", io.splicelab.model.events.EventCodec.toJson(
                new io.splicelab.model.events.Payloads.RunRequested(runId, CONFIG)));
        publish(TRAINER.wrap(runId, new RunStarted(runId, CONFIG, CONFIG.checkpointSteps())));
        await(() -> given().get("/api/runs/" + runId).statusCode() == 200
                && "RUNNING".equals(given().get("/api/runs/" + runId).path("status")), "run " + runId + " RUNNING");
        given().get("/api/runs/" + runId).then().body("totalSteps", equalTo(CONFIG.steps()));
    }

    @Test
    void anEventWhoseArtifactIsMissingOrWhoseTransitionMakesNoSenseIsDeadLettered() {
        String runId = startedRun("guard");
        ArtifactRef fabricated = new ArtifactRef("artifact:runs/" + runId + "/noise/step-50.npy", 4096, "00",
                "application/octet-stream");
        publish(TRAINER.wrap(runId, new NoiseSampled(runId, 50, 64, 64, 1000, null, null, fabricated, null)));
        ConsumerRecord<String, String> noise = consumeUntil(Topics.DEAD_LETTERS, r -> runId.equals(r.key())
                && Topics.NOISE_SAMPLES.equals(header(r, "splicelab-source-topic")));
        assertTrue(header(noise, "splicelab-reason").contains("missing"), header(noise, "splicelab-reason"));

        ItSupport.writeArtifact("runs/" + runId + "/noise/step-100.npy", 10);
        ArtifactRef wrongSize = new ArtifactRef("artifact:runs/" + runId + "/noise/step-100.npy", 4096, "00",
                "application/octet-stream");
        publish(TRAINER.wrap(runId, new NoiseSampled(runId, 100, 64, 64, 1000, null, null, wrongSize, null)));
        consumeUntil(Topics.DEAD_LETTERS, r -> runId.equals(r.key())
                && header(r, "splicelab-reason").contains("has 10 bytes"));

        publish(TRAINER.wrap(runId, new RunCompleted(runId, 100, 3, 0.9)));
        await(() -> "COMPLETED".equals(given().get("/api/runs/" + runId).path("status")), "completed");
        Envelope restarted = TRAINER.wrap(runId, new RunStarted(runId, CONFIG.withDefaults(), List.of(0, 100)));
        publish(restarted);
        ConsumerRecord<String, String> late = consumeUntil(Topics.DEAD_LETTERS, r -> runId.equals(r.key())
                && header(r, "splicelab-reason").contains("already COMPLETED"));
        assertTrue(late.value().contains(restarted.id()));
        given().get("/api/runs/" + runId).then().body("status", equalTo("COMPLETED"));
        assertTrue(queries.storedEvents(runId).stream().noneMatch(e -> e.type().contains("noise")),
                "no fabricated noise in the run's stream");
    }

    @Test
    void aServiceReplayingAfterARestartAddsNothingAndAChangedFactIsStreamedOnceAsAnUpdate() throws Exception {
        String runId = startedRun("replay");
        CheckpointCreated first = checkpoint(runId, 50, 1);
        String original = publish(TRAINER.wrap(runId, first));
        await(() -> queries.storedEvents(runId).size() == 3, "request, start and checkpoint stored");
        try (ItSupport.SseClient stream = openStream(base.toURI(), "/api/runs/" + runId + "/events")) {
            for (int i = 0; i < 3; i++) {
                stream.next(); // the replay
            }
            // the trainer restarts and replays: the same checkpoint and start under new ids
            publish(TRAINER.wrap(runId, first));
            publish(TRAINER.wrap(runId, new RunStarted(runId, CONFIG, CONFIG.checkpointSteps())));
            // a changed fact: the checkpoint rewritten (another loss)
            CheckpointCreated changed = new CheckpointCreated(runId, 50, 1, first.config(), first.network(),
                    first.parameters(), 0.123, first.trainAccuracy());
            String update = publish(TRAINER.wrap(runId, changed));
            GridProgress grid = new GridProgress(runId, 50, 5, 27, 12, 75, 2, GridProgress.COMPUTING, null);
            String progress = publish(SPLICER.wrap(runId, grid));

            // on the checkpoints topic the update is next; the grid progress (another topic) comes too, nothing else
            List<String> next = List.of(stream.next().id(), stream.next().id());
            assertTrue(next.contains(update) && next.contains(progress), next + " vs " + update + ", " + progress);
            String marker = publish(TRAINER.wrap(runId, checkpoint(runId, 100, 2)));
            assertEquals(marker, stream.next().id(), "no repeat streamed before the marker");
        }
        List<Envelope> stored = queries.storedEvents(runId);
        assertEquals(5, stored.size(), stored.stream().map(Envelope::type).toList().toString());
        assertTrue(stored.stream().noneMatch(e -> e.id().equals(original)), "the update replaced the original");
        given().get("/api/runs/" + runId).then().statusCode(200)
                .body("checkpoints.size()", equalTo(2))
                .body("checkpoints[0].trainLoss", equalTo(0.123f))
                .body("grid.status", equalTo("computing")).body("grid.cellsComputed", equalTo(12))
                .body("grid.cellsExpected", equalTo(75)).body("grid.checkpoints", equalTo(2))
                .body("grid.step", equalTo(50)).body("grid.stepCellsComputed", equalTo(5))
                .body("grid.stepCellsExpected", equalTo(27));

        publish(SPLICER.wrap(runId, new GridProgress(runId, 100, 0, 27, 12, 75, 3, GridProgress.INCOMPLETE,
                "checkpoint 100 could not be evaluated: artifact missing")));
        await(() -> "incomplete".equals(given().get("/api/runs/" + runId).path("grid.status")), "latest grid wins");
        given().get("/api/runs/" + runId).then().body("grid.reason", equalTo(
                "checkpoint 100 could not be evaluated: artifact missing"));
        assertEquals(1, queries.storedEvents(runId).stream().filter(e -> e.type().endsWith("hybrid.progress"))
                .count(), "one grid progress kept: the latest");
    }
}
