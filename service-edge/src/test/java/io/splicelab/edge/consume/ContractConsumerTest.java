package io.splicelab.edge.consume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splicelab.edge.consume.ContractConsumer.Outcome;
import io.splicelab.edge.deadletter.DeadLetter;
import io.splicelab.edge.health.FatalErrors;
import io.splicelab.edge.health.FatalErrorsCheck;
import io.splicelab.model.events.ArtifactRef;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.EventType;
import io.splicelab.model.events.Payloads.FeaturesSnapshotted;
import io.splicelab.model.events.Payloads.GridProgress;
import io.splicelab.model.events.Payloads.RunCancelRequested;
import io.splicelab.model.events.Payloads.RunDeleted;
import io.splicelab.model.events.Payloads.RunStarted;
import io.splicelab.model.events.Topics;
import io.splicelab.model.store.LocalArtifactStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The consumer rule against hostile records: each one is dead-lettered with a reason naming what is wrong,
 * and the record after it is processed as if nothing happened.
 */
class ContractConsumerTest {
    private static final EventCodec SPLICER = new EventCodec("/splicer-service");
    private static final String TOPIC = Topics.FEATURE_SNAPSHOTS;

    @TempDir
    Path dir;

    private final List<DeadLetter> deadLetters = new ArrayList<>();
    private final List<FeaturesSnapshotted> handled = new ArrayList<>();
    private final AtomicReference<RuntimeException> handlerFailure = new AtomicReference<>();
    private FatalErrors fatal;
    private LocalArtifactStore store;
    private ContractConsumer consumer;
    private long offset;

    @BeforeEach
    void setUp() {
        fatal = new FatalErrors();
        store = new LocalArtifactStore(dir.resolve("store"));
        consumer = ContractConsumer.builder("feature-snapshots", deadLetters::add, fatal)
                .on(EventType.FEATURES_SNAPSHOTTED, FeaturesSnapshotted.class, e -> {
                    RuntimeException failure = handlerFailure.get();
                    if (failure != null) {
                        throw failure;
                    }
                    store.get(e.payload().features()); // what the stats service does first
                    handled.add(e.payload());
                }).build();
    }

    private ConsumerRecord<String, String> record(String topic, String key, String value) {
        return new ConsumerRecord<>(topic, 2, offset++, key, value);
    }

    private ConsumerRecord<String, String> snapshot(String runId, ArtifactRef ref) {
        return record(TOPIC, runId, SPLICER.encode(runId, new FeaturesSnapshotted(runId, 10, "test", List.of("stem"),
                3, ref)));
    }

    private ArtifactRef artifact(String runId) {
        return store.put("runs/" + runId + "/features/test/step-00000010.slfs", "features".getBytes(
                StandardCharsets.UTF_8), "application/octet-stream");
    }

    /** The hostile record is dead-lettered with a reason containing {@code why}; then a good one is handled. */
    private DeadLetter assertDeadLetteredThenGoesOn(ConsumerRecord<String, String> hostile, String why) {
        int before = handled.size();
        assertEquals(Outcome.DEAD_LETTERED, consumer.accept(hostile));
        assertEquals(1, deadLetters.size(), "one dead letter");
        DeadLetter letter = deadLetters.remove(0);
        assertTrue(letter.reason().contains(why), "reason '" + letter.reason() + "' should say '" + why + "'");
        assertEquals(hostile.value(), letter.value(), "the original value, untouched");
        assertEquals(hostile.key(), letter.key());
        assertEquals(hostile.topic(), letter.sourceTopic());
        assertEquals(hostile.partition(), letter.partition());
        assertEquals(hostile.offset(), letter.offset());
        assertEquals(before, handled.size(), "the handler did not complete");

        assertEquals(Outcome.HANDLED, consumer.accept(snapshot("r-next", artifact("r-next"))), "the next record");
        assertEquals("r-next", handled.get(handled.size() - 1).runId());
        assertTrue(deadLetters.isEmpty());
        assertNull(fatal.first());
        return letter;
    }

    @Test
    void aValidRecordReachesItsHandlerTyped() {
        assertEquals(Outcome.HANDLED, consumer.accept(snapshot("run-1", artifact("run-1"))));
        assertEquals(List.of("stem"), handled.get(0).cuts());
        assertTrue(deadLetters.isEmpty());
    }

    @Test
    void garbageAndEmptyValuesAreDeadLettered() {
        DeadLetter garbage = assertDeadLetteredThenGoesOn(record(TOPIC, "run-1", "this is { not json"),
                "not a JSON CloudEvent");
        assertNull(garbage.eventId(), "no envelope, no id");
        assertDeadLetteredThenGoesOn(record(TOPIC, "run-1", null), "no value");
        assertDeadLetteredThenGoesOn(record(TOPIC, "run-1", "{\"specversion\":\"1.0\",\"type\":\""
                + EventType.FEATURES_SNAPSHOTTED.type() + "\",\"subject\":\"run-1\",\"data\":{\"step\":\"ten\"}}"),
                "not a valid FeaturesSnapshotted");
    }

    @Test
    void unknownTypesAndTypesOfOtherTopicsAreDeadLetteredNamed() {
        String unknown = SPLICER.encode("run-1", new FeaturesSnapshotted("run-1", 1, "test", List.of(), 1, null))
                .replace(EventType.FEATURES_SNAPSHOTTED.type(), "io.splicelab.features.exploded");
        assertDeadLetteredThenGoesOn(record(TOPIC, "run-1", unknown), "unknown event type");
        DeadLetter other = assertDeadLetteredThenGoesOn(record(TOPIC, "run-1",
                SPLICER.encode("run-1", new RunStarted("run-1", null, List.of()))), "belongs on splicelab.run-events");
        assertEquals(EventType.RUN_STARTED.type(), other.eventType(), "the envelope's type is in the dead letter");
        assertNotNull(other.eventId());
        assertDeadLetteredThenGoesOn(record(Topics.RUN_COMMANDS, "run-1",
                SPLICER.encode("run-1", new RunCancelRequested("run-1", "x"))), "not accepted by feature-snapshots");
    }

    @Test
    void keyAndSubjectMustBeThePayloadsRunId() {
        ArtifactRef ref = artifact("run-1");
        String value = SPLICER.encode("run-1", new FeaturesSnapshotted("run-1", 10, "test", List.of("stem"), 3, ref));
        assertDeadLetteredThenGoesOn(record(TOPIC, "run-2", value), "key 'run-2' does not match");
        assertDeadLetteredThenGoesOn(record(TOPIC, null, value), "key null does not match");
        String otherSubject = SPLICER.encode("run-2", new FeaturesSnapshotted("run-1", 10, "test", List.of(), 3, ref));
        assertDeadLetteredThenGoesOn(record(TOPIC, "run-1", otherSubject), "subject 'run-2' does not match");
    }

    @Test
    void aHostileRunIdNeverReachesTheHandler() {
        for (String runId : List.of("../x", "..", "/etc", "a/../../b", "run\n1")) {
            String value = SPLICER.encode(runId, new FeaturesSnapshotted(runId, 10, "test", List.of(), 3, null));
            assertDeadLetteredThenGoesOn(record(TOPIC, runId, value), "invalid run id");
        }
        String noRunId = SPLICER.encode("run-1", new FeaturesSnapshotted(null, 10, "test", List.of(), 3, null));
        assertDeadLetteredThenGoesOn(record(TOPIC, "run-1", noRunId), "run id is required");
    }

    @Test
    void anArtifactReferenceToADirectoryIsDeadLettered() {
        artifact("run-1");
        DeadLetter letter = assertDeadLetteredThenGoesOn(snapshot("run-1", new ArtifactRef("artifact:runs", 4096,
                "00", "x")), "directory");
        assertTrue(letter.reason().contains("artifact:runs"), letter.reason());
    }

    @Test
    void aSymbolicLinkOutOfTheStoreIsDeadLetteredNotRead() throws Exception {
        Path passwd = Path.of("/etc/passwd");
        Files.createDirectories(store.root().resolve("runs/run-1/features"));
        Files.createSymbolicLink(store.root().resolve("runs/run-1/features/step.slfs"), passwd);
        ArtifactRef stolen = new ArtifactRef("artifact:runs/run-1/features/step.slfs", Files.size(passwd),
                LocalArtifactStore.sha256(Files.readAllBytes(passwd)), "x");
        assertDeadLetteredThenGoesOn(snapshot("run-1", stolen), "outside the artifact store");
        assertDeadLetteredThenGoesOn(snapshot("run-1", new ArtifactRef("artifact:../../etc/passwd", 1, "00", "x")),
                "refused");
    }

    @Test
    void anyExceptionOfTheHandlerIsDeadLetteredWithItsType() {
        handlerFailure.set(new IllegalStateException("the grid is inconsistent"));
        ConsumerRecord<String, String> first = snapshot("run-1", artifact("run-1"));
        assertEquals(Outcome.DEAD_LETTERED, consumer.accept(first));
        assertEquals("IllegalStateException: the grid is inconsistent", deadLetters.remove(0).reason());
        handlerFailure.set(new NullPointerException());
        assertEquals(Outcome.DEAD_LETTERED, consumer.accept(snapshot("run-1", artifact("run-1"))));
        assertTrue(deadLetters.remove(0).reason().startsWith("NullPointerException"));
        handlerFailure.set(null);
        assertEquals(Outcome.HANDLED, consumer.accept(snapshot("run-1", artifact("run-1"))));
        assertTrue(deadLetters.isEmpty());
    }

    @Test
    void aWellFormedRecordOfAnIgnoredTypeIsSkippedAMalformedOneIsNot() {
        List<GridProgress> seen = new ArrayList<>();
        ContractConsumer hybrids = ContractConsumer.builder("hybrid-results", deadLetters::add, fatal)
                .on(EventType.HYBRID_PROGRESS, GridProgress.class, e -> seen.add(e.payload()))
                .ignore(EventType.HYBRID_EVALUATED, EventType.TC_SUMMARY_COMPUTED).build();
        String summary = "{\"specversion\":\"1.0\",\"id\":\"1\",\"type\":\"" + EventType.TC_SUMMARY_COMPUTED.type()
                + "\",\"subject\":\"run-1\",\"data\":{\"runId\":\"run-1\",\"cut\":\"stem\"}}";
        assertEquals(Outcome.IGNORED, hybrids.accept(record(Topics.HYBRID_RESULTS, "run-1", summary)));
        assertTrue(deadLetters.isEmpty());
        assertEquals(Outcome.DEAD_LETTERED, hybrids.accept(record(Topics.HYBRID_RESULTS, "../x",
                summary.replace("run-1", "../x"))), "an ignored type is still checked");
        assertEquals(Outcome.HANDLED, hybrids.accept(record(Topics.HYBRID_RESULTS, "run-1", SPLICER.encode("run-1",
                new GridProgress("run-1", 1, 1, 1, 1, 1, 1, GridProgress.COMPUTING, null)))));
        assertEquals(1, seen.size());
    }

    @Test
    void anErrorIsFatalNotADeadLetter() {
        handlerFailure.set(null);
        ContractConsumer failing = ContractConsumer.builder("feature-snapshots", deadLetters::add, fatal)
                .on(EventType.FEATURES_SNAPSHOTTED, FeaturesSnapshotted.class, e -> {
                    throw new OutOfMemoryError("Java heap space");
                }).build();
        assertEquals(HealthCheckResponse.Status.UP, new FatalErrorsCheck(fatal).call().getStatus());
        assertThrows(OutOfMemoryError.class, () -> failing.accept(snapshot("run-1", artifact("run-1"))));
        assertTrue(deadLetters.isEmpty(), "the record is not at fault");
        assertEquals(HealthCheckResponse.Status.DOWN, new FatalErrorsCheck(fatal).call().getStatus());
        assertTrue(fatal.first().error().contains("Java heap space"));
        assertEquals(Outcome.HANDLED, consumer.accept(snapshot("run-1", artifact("run-1"))));
        assertEquals(HealthCheckResponse.Status.DOWN, new FatalErrorsCheck(fatal).call().getStatus(), "DOWN from then on");
    }

    @Test
    void aDeadLetterThatCannotBeStoredLeavesTheRecordUnacknowledged() {
        ContractConsumer brokerDown = ContractConsumer.builder("feature-snapshots", letter -> {
            throw new IllegalStateException("broker unreachable");
        }, fatal).on(EventType.FEATURES_SNAPSHOTTED, FeaturesSnapshotted.class, e -> { }).build();
        assertThrows(ContractConsumer.DeadLetterFailedException.class,
                () -> brokerDown.accept(record(TOPIC, "run-1", "garbage")));

        AtomicReference<Throwable> nacked = new AtomicReference<>();
        boolean[] acked = {false};
        Message<String> message = Message.of("garbage").withAck(() -> {
            acked[0] = true;
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }).withNack(t -> {
            nacked.set(t);
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        });
        brokerDown.accept(message);
        assertFalse(acked[0]);
        assertEquals("broker unreachable", nacked.get().getMessage());
    }

    @Test
    void aMessageIsAcknowledgedWhenHandledOrDeadLettered() {
        boolean[] acked = {false};
        Message<String> garbage = Message.of("garbage").withAck(() -> {
            acked[0] = true;
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        });
        consumer.accept(garbage);
        assertTrue(acked[0]);
        assertEquals("feature-snapshots", deadLetters.get(0).sourceTopic(), "no Kafka metadata: the channel");
    }

    @Test
    void aHandlerForTheWrongPayloadIsRefusedAtBuildTime() {
        assertThrows(IllegalArgumentException.class, () -> ContractConsumer.builder("x", deadLetters::add, fatal)
                .on(EventType.RUN_STARTED, FeaturesSnapshotted.class, e -> { }));
        assertThrows(IllegalStateException.class, () -> ContractConsumer.builder("x", deadLetters::add, fatal)
                .ignore(EventType.RUN_STARTED).build());
    }

    /**
     * The events of a deleted run stay in Kafka while its artifacts are gone: they are skipped, not dead-lettered;
     * {@code run.deleted} itself reaches its handler, and other runs go on.
     */
    @Test
    void theEventsOfADeletedRunAreSkippedNotDeadLettered() {
        java.util.Set<String> deleted = new java.util.HashSet<>();
        List<String> forgotten = new ArrayList<>();
        ContractConsumer snapshots = ContractConsumer.builder("feature-snapshots", deadLetters::add, fatal)
                .on(EventType.FEATURES_SNAPSHOTTED, FeaturesSnapshotted.class, e -> {
                    store.get(e.payload().features());
                    handled.add(e.payload());
                }).deletedRuns(deleted::contains).build();
        ContractConsumer runEvents = ContractConsumer.builder("run-events", deadLetters::add, fatal)
                .on(EventType.RUN_DELETED, RunDeleted.class, e -> forgotten.add(e.runId()))
                .ignore(EventType.RUN_STARTED).deletedRuns(deleted::contains).build();
        ArtifactRef ref = artifact("run-gone");
        store.deleteAll("runs/run-gone");
        deleted.add("run-gone");

        assertEquals(Outcome.IGNORED, snapshots.accept(snapshot("run-gone", ref)), "its artifact is gone: skipped");
        assertEquals(Outcome.IGNORED, runEvents.accept(record(Topics.RUN_EVENTS, "run-gone",
                SPLICER.encode("run-gone", new RunStarted("run-gone", null, List.of())))));
        assertEquals(Outcome.HANDLED, runEvents.accept(record(Topics.RUN_EVENTS, "run-gone",
                new EventCodec("/gateway").encode("run-gone", new RunDeleted("run-gone")))));
        assertEquals(List.of("run-gone"), forgotten);
        assertTrue(deadLetters.isEmpty(), "nothing dead-lettered: " + deadLetters);
        assertTrue(handled.isEmpty());
        assertEquals(Outcome.HANDLED, snapshots.accept(snapshot("run-kept", artifact("run-kept"))), "another run");
        // without the deletion known, the same record is a dead letter (its artifact is missing)
        assertEquals(Outcome.DEAD_LETTERED, consumer.accept(snapshot("run-gone", ref)));
    }

    /** The service's gate reads the deletion marker the gateway leaves in the store. */
    @Test
    void theGateKnowsADeletedRunByItsMarkerInTheStore() {
        RecordGate gate = new RecordGate(deadLetters::add, fatal, store);
        ContractConsumer snapshots = gate.consumer("feature-snapshots")
                .on(EventType.FEATURES_SNAPSHOTTED, FeaturesSnapshotted.class, e -> {
                    store.get(e.payload().features());
                    handled.add(e.payload());
                }).build();
        ArtifactRef ref = artifact("run-marked");
        store.deleteAll("runs/run-marked");
        assertEquals(Outcome.DEAD_LETTERED, snapshots.accept(snapshot("run-marked", ref)), "not yet known deleted");
        deadLetters.clear();
        store.put(io.splicelab.model.store.RunArtifacts.deletionMarker("run-marked"), "{}".getBytes(
                StandardCharsets.UTF_8), "application/json");
        assertEquals(Outcome.IGNORED, snapshots.accept(snapshot("run-marked", ref)));
        assertTrue(deadLetters.isEmpty());
    }
}
