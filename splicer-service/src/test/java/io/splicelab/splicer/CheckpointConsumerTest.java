package io.splicelab.splicer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splicelab.edge.consume.RecordGate;
import io.splicelab.edge.health.FatalErrors;
import io.splicelab.edge.health.FatalErrorsCheck;
import io.splicelab.model.events.ArtifactRef;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.Payloads.CheckpointCreated;
import io.splicelab.model.events.Payloads.GridProgress;
import io.splicelab.model.events.Payloads.RunStarted;
import io.splicelab.model.events.Topics;
import io.splicelab.model.store.LocalArtifactStore;
import io.splicelab.model.store.RunArtifacts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Accepting a checkpoint record is quick and total: a record that cannot be accepted, whatever the reason, is
 * dead-lettered with it and the consumer goes on; an accepted one is durable work before it is acknowledged, and
 * a checkpoint that fails later, in the worker, marks its grid incomplete without stopping the worker.
 */
@ExtendWith(DjlOfflineExtension.class)
class CheckpointConsumerTest {
    private static final EventCodec TRAINER = new EventCodec("/trainer-service");

    @TempDir
    Path dir;

    private LocalArtifactStore store;
    private OnnxImportTest.Captured captured;
    private SplicingService splicer;
    private PendingWork pending;
    private SplicerWorker worker;
    private final List<String> reasons = new ArrayList<>();
    private final FatalErrors fatalErrors = new FatalErrors();
    private CheckpointConsumer consumer;
    private List<byte[]> params;

    @BeforeEach
    void setUp() {
        store = new LocalArtifactStore(dir.resolve("artifacts"));
        captured = new OnnxImportTest.Captured();
        splicer = RestoreFromStoreTest.service(store, captured, dir.resolve("spill"), 2);
        pending = new PendingWork(store);
        worker = new SplicerWorker(splicer, pending, fatalErrors);
        RecordGate gate = new RecordGate(letter -> {
            assertEquals(Topics.CHECKPOINTS, letter.sourceTopic());
            reasons.add(letter.reason());
        }, fatalErrors);
        consumer = new CheckpointConsumer(new CheckpointAcceptance(store, OnnxImportTest.CUTS), pending, worker,
                gate);
        params = io.splicelab.splicer.splicing.SeededCheckpoints.of(OnnxImportTest.SPEC, 2);
    }

    private void deliver(String value) {
        consumer.onCheckpoint(Message.of(value, () -> CompletableFuture.completedFuture(null)));
    }

    @Test
    void hostileRecordsAreDeadLetteredWithTheReasonAndTheNextGoodOneIsEvaluated() throws Exception {
        CheckpointCreated good = RestoreFromStoreTest.store(store, "r1", 0, params.get(0));
        deliver("this is { not json");
        deliver(TRAINER.encode("r1", new RunStarted("r1", good.config(), List.of(0))));
        deliver(TRAINER.encode("../r1", new CheckpointCreated("../r1", 0, 0, good.config(), good.network(),
                good.parameters(), 1, 0.5)));
        ArtifactRef directory = new ArtifactRef(LocalArtifactStore.SCHEME + "runs", 10, "0".repeat(64),
                good.parameters().mediaType());
        deliver(TRAINER.encode("r1", new CheckpointCreated("r1", 0, 0, good.config(), good.network(), directory, 1,
                0.5)));
        deliver(TRAINER.encode("r1", new CheckpointCreated("r1", 50, 5, good.config(), good.network(),
                good.parameters(), 1, 0.5)));
        // an evaluation plan the splicer cannot evaluate: a cut of another network
        deliver(TRAINER.encode("r1", new CheckpointCreated("r1", 0, 0, good.config().withEvalPlan(
                new io.splicelab.model.events.EvalPlan(List.of("test"), List.of("carry"), List.of("conv1"))),
                good.network(), good.parameters(), 1, 0.5)));
        assertEquals(6, reasons.size(), reasons.toString());
        assertTrue(reasons.get(0).contains("not a JSON CloudEvent"), reasons.get(0));
        assertTrue(reasons.get(1).contains("event type io.splicelab.run.started is not accepted"), reasons.get(1));
        assertTrue(reasons.get(2).contains("invalid run id"), reasons.get(2));
        assertTrue(reasons.get(3).contains("artifact:runs is not a file"), reasons.get(3));
        assertTrue(reasons.get(4).contains("manifest"), reasons.get(4));
        assertTrue(reasons.get(5).contains("config.cuts 'conv1' is not a cut of resnet20-b"), reasons.get(5));
        assertEquals(List.of(), pending.all(), "nothing accepted");

        deliver(TRAINER.encode("r1", good));
        assertEquals(List.of(PendingWork.key("r1", 0)), pending.all(), "accepted: durable before the ack");
        assertTrue(captured.cells.isEmpty(), "evaluated by the worker, not the consumer");
        worker.drain();
        assertEquals(OnnxImportTest.CUTS.size(), captured.cells.size());
        assertEquals(List.of(), pending.all(), "removed once the cells are stored");
        assertEquals(6, reasons.size());
        splicer.close();
    }

    @Test
    void aCheckpointTamperedWithAfterItWasAcceptedMarksItsGridIncompleteAndTheWorkerGoesOn() throws Exception {
        CheckpointCreated bad = RestoreFromStoreTest.store(store, "bad", 0, params.get(0));
        CheckpointCreated ok = RestoreFromStoreTest.store(store, "ok", 0, params.get(1));
        deliver(TRAINER.encode("bad", bad));
        deliver(TRAINER.encode("ok", ok));
        byte[] tampered = params.get(0).clone();
        tampered[tampered.length - 1] ^= 1;
        Files.write(store.root().resolve(RunArtifacts.checkpointParams("bad", 0)), tampered);

        // a restart (kill -9 before the worker ran): the pending items are picked up by a new worker
        SplicerWorker restarted = new SplicerWorker(splicer, pending, fatalErrors);
        restarted.pickUpPending();
        restarted.drain();

        GridProgress status = RestoreFromStoreTest.lastProgress(captured, "bad");
        assertEquals(GridProgress.INCOMPLETE, status.status());
        assertTrue(status.reason().contains("sha256"), status.reason());
        assertTrue(captured.cells.stream().noneMatch(c -> c.runId().equals("bad")));
        assertEquals(OnnxImportTest.CUTS.size(), captured.cells.stream().filter(c -> c.runId().equals("ok")).count());
        assertEquals(GridProgress.WAITING, RestoreFromStoreTest.lastProgress(captured, "ok").status());
        assertEquals(List.of(), pending.all());
        assertFalse(reasons.stream().anyMatch(r -> r.contains("bad")), "accepted records are not dead-lettered");
        splicer.close();
    }

    @Test
    void anOutOfMemoryErrorStopsTheWorkerWithItsWorkPendingAndHealthGoesDown() throws Exception {
        SplicingService exhausted = new SplicingService(store, captured, OnnxImportTest.CUTS, 8, 2, List.of("test"),
                List.of("carry"), 50, 64, dir.resolve("spill").toString(), "float32", 0.9, "cpu", 1) {
            @Override
            public synchronized void onCheckpoint(CheckpointCreated checkpoint) {
                throw new OutOfMemoryError("Cannot reserve 5017600 bytes of direct buffer memory");
            }
        };
        SplicerWorker failing = new SplicerWorker(exhausted, pending, fatalErrors);
        CheckpointConsumer accepting = new CheckpointConsumer(new CheckpointAcceptance(store, OnnxImportTest.CUTS),
                pending, failing, new RecordGate(letter -> reasons.add(letter.reason()), fatalErrors));
        SplicerHealth health = new SplicerHealth(failing);
        FatalErrorsCheck liveness = new FatalErrorsCheck(fatalErrors);
        assertEquals(HealthCheckResponse.Status.UP, health.call().getStatus());
        assertEquals(HealthCheckResponse.Status.UP, liveness.call().getStatus());
        CheckpointCreated c = RestoreFromStoreTest.store(store, "oom", 0, params.get(0));
        accepting.onCheckpoint(Message.of(TRAINER.encode("oom", c), () -> CompletableFuture.completedFuture(null)));
        failing.drain();
        assertEquals(HealthCheckResponse.Status.DOWN, health.call().getStatus(), "the worker stopped");
        HealthCheckResponse response = liveness.call();
        assertEquals(HealthCheckResponse.Status.DOWN, response.getStatus());
        assertTrue(response.getData().orElseThrow().get("error").toString().contains("OutOfMemoryError"));
        assertEquals(List.of(PendingWork.key("oom", 0)), pending.all(), "picked up again after the restart");
        assertTrue(reasons.isEmpty());
        exhausted.close();
        splicer.close();
    }
}
