package io.splicelab.cka.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.splicelab.cka.CkaAnalysis;
import io.splicelab.model.events.ArtifactRef;
import io.splicelab.model.events.DeadLetters;
import io.splicelab.model.events.Envelope;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.EventType;
import io.splicelab.model.events.Payloads.CheckpointCreated;
import io.splicelab.model.events.Payloads.CheckpointImported;
import io.splicelab.model.events.Payloads.FeaturesSnapshotted;
import io.splicelab.model.events.Payloads.GridProgress;
import io.splicelab.model.events.Payloads.HybridEvaluated;
import io.splicelab.model.events.Payloads.NetworkSpec;
import io.splicelab.model.events.Payloads.NoiseSampled;
import io.splicelab.model.events.Payloads.RunCancelRequested;
import io.splicelab.model.events.Payloads.RunCancelled;
import io.splicelab.model.events.Payloads.RunCompleted;
import io.splicelab.model.events.Payloads.RunDeleted;
import io.splicelab.model.events.Payloads.RunFailed;
import io.splicelab.model.events.Payloads.RunProgress;
import io.splicelab.model.events.Payloads.RunRequested;
import io.splicelab.model.events.Payloads.RunStarted;
import io.splicelab.model.events.Payloads.StatsComputed;
import io.splicelab.model.events.Payloads.TcSummaryComputed;
import io.splicelab.model.events.Payloads.TcVariant;
import io.splicelab.model.events.RunConfig;
import io.splicelab.model.events.Topics;
import io.splicelab.model.features.FeatureSnapshot;
import io.splicelab.model.imports.ImportManifest;
import io.splicelab.model.plugin.EventDispatcher;
import io.splicelab.model.plugin.OutgoingRecord;
import io.splicelab.model.plugin.StatsResults;
import io.splicelab.model.store.LocalArtifactStore;
import io.splicelab.model.store.RunArtifacts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The public event document (docs/events/asyncapi.yaml and schemas/*.json) matches the code: every topic and
 * every event type is documented with a schema whose $id is the type's dataschema, every example validates
 * and decodes, and events produced with {@link EventCodec} from real payload records validate too.
 */
class EventContractTest {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = EventCodec.mapper();
    static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);
    static Path events;
    static JsonNode doc;
    static JsonSchema envelopeSchema;
    static final Map<EventType, JsonSchema> DATA = new EnumMap<>(EventType.class);

    @BeforeAll
    static void load() throws IOException {
        events = Repo.root().resolve("docs/events");
        doc = YAML.readTree(events.resolve("asyncapi.yaml").toFile());
        envelopeSchema = schema(events.resolve("schemas/cloudevent.json"));
        for (EventType t : EventType.values()) {
            Path file = events.resolve("schemas/" + t.type() + ".json");
            if (Files.isRegularFile(file)) {
                DATA.put(t, schema(file));
            }
        }
    }

    static JsonSchema schema(Path file) throws IOException {
        return FACTORY.getSchema(JSON.readTree(file.toFile()));
    }

    @Test
    void theDocumentIsAsyncApiAndDocumentsEveryTopic() {
        assertTrue(doc.path("asyncapi").asText().startsWith("2.6"), "AsyncAPI 2.6");
        Set<String> channels = new HashSet<>();
        doc.path("channels").fieldNames().forEachRemaining(channels::add);
        assertEquals(Set.copyOf(Topics.ALL), channels, "one channel per public topic");
        for (String topic : Topics.ALL) {
            JsonNode ch = doc.path("channels").path(topic);
            assertEquals(topic, ch.path("bindings").path("kafka").path("topic").asText(), topic);
            assertFalse(ch.path("subscribe").path("message").isMissingNode(), topic + " documents its messages");
        }
        JsonNode dl = doc.path("components").path("messages").path("DeadLetter");
        for (String h : List.of(DeadLetters.REASON_HEADER, DeadLetters.SOURCE_TOPIC_HEADER, DeadLetters.SERVICE_HEADER)) {
            assertTrue(dl.path("headers").path("properties").has(h), "dead-letter header " + h);
        }
    }

    @Test
    void everyEventTypeHasASchemaAMessageOnItsTopicAndAKey() throws IOException {
        for (EventType t : EventType.values()) {
            Path file = events.resolve("schemas/" + t.type() + ".json");
            assertTrue(Files.isRegularFile(file), "schema for " + t + ": " + file);
            JsonNode schema = JSON.readTree(file.toFile());
            assertEquals(t.dataschema(), schema.path("$id").asText(), "the schema's $id is the CloudEvents dataschema");
            JsonNode message = message(t);
            assertNotNull(message, "a message for " + t.type());
            assertEquals(t.topic(), message.path("x-topic").asText(), t.type());
            assertEquals("./schemas/" + t.type() + ".json",
                    message.path("payload").path("allOf").get(1).path("properties").path("data").path("$ref").asText());
            String name = message.path("title").asText();
            assertTrue(channelMessageRefs(t.topic()).contains("#/components/messages/" + name),
                    t.type() + " is listed on channel " + t.topic());
            // every record field of the payload class is documented
            Set<String> documented = new HashSet<>();
            schema.path("properties").fieldNames().forEachRemaining(documented::add);
            for (var c : t.payloadClass().getRecordComponents()) {
                assertTrue(documented.contains(c.getName()), t.type() + " documents field " + c.getName());
            }
        }
        JsonNode kafkaKey = doc.path("components").path("messageTraits").path("runKeyed").path("bindings")
                .path("kafka").path("key");
        assertEquals("string", kafkaKey.path("type").asText(), "the key (run id) is documented");
    }

    @Test
    void everyExampleValidatesAndDecodes() throws Exception {
        int examples = 0;
        for (EventType t : EventType.values()) {
            JsonNode message = message(t);
            assertTrue(message.path("examples").size() > 0, "an example for " + t.type());
            for (JsonNode ex : message.path("examples")) {
                JsonNode payload = ex.path("payload");
                assertValid(t, payload);
                assertEquals(t.type(), payload.path("type").asText());
                Envelope envelope = EventCodec.decode(JSON.writeValueAsString(payload));
                Object decoded = EventCodec.payload(envelope);
                assertEquals(t.payloadClass(), decoded.getClass());
                examples++;
            }
        }
        assertEquals(EventType.values().length, examples);
    }

    @Test
    void eventsProducedFromRealPayloadRecordsValidate(@TempDir Path dir) throws Exception {
        RunConfig config = JSON.readValue("""
                {"architecture":"resnet20","widthMultiplier":0.25,"dataset":"synthetic","steps":20,
                 "checkpointInterval":10,"seed":3,"trainSize":300,"evalSize":60}""", RunConfig.class);
        RunConfig full = config.withDefaults();
        String run = "r-contract";
        ArtifactRef params = new ArtifactRef("artifact:" + RunArtifacts.checkpointParams(run, 10), 1234,
                "a".repeat(64), "application/octet-stream");
        ArtifactRef feats = new ArtifactRef("artifact:" + RunArtifacts.featureSnapshot(run, 10, "test"), 999,
                "b".repeat(64), FeatureSnapshot.MEDIA_TYPE);
        Map<EventType, Object> payloads = new EnumMap<>(EventType.class);
        payloads.put(EventType.RUN_REQUESTED, new RunRequested(run, config));
        payloads.put(EventType.RUN_CANCEL_REQUESTED, new RunCancelRequested(run, null));
        payloads.put(EventType.RUN_STARTED, new RunStarted(run, full, full.checkpointSteps()));
        payloads.put(EventType.RUN_PROGRESS, new RunProgress(run, 5, 20, 2.1, 0.2, 0.05, 300.5));
        payloads.put(EventType.RUN_COMPLETED, new RunCompleted(run, 20, 3, 0.5, 0.4375, 10000));
        payloads.put(EventType.RUN_FAILED, new RunFailed(run, "diverged"));
        payloads.put(EventType.RUN_CANCELLED, new RunCancelled(run, 7));
        payloads.put(EventType.RUN_DELETED, new RunDeleted(run));
        payloads.put(EventType.CHECKPOINT_CREATED, new CheckpointCreated(run, 10, 1, full,
                new NetworkSpec("resnet20", 0.25, 3, 32, 32, 10), params, 1.5, 0.4));
        ImportManifest manifest = ImportManifest.parse("""
                {"run": "r-contract", "step": 10, "numClasses": 10,
                 "input": {"shape": [3, 32, 32], "mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25]},
                 "segments": [{"name": "stem", "file": "stem.onnx"}, {"name": "head", "file": "head.onnx"}],
                 "cuts": ["stem"]}""".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        ArtifactRef onnx = new ArtifactRef("artifact:" + RunArtifacts.importedFile(run, 10, "stem.onnx"), 2048,
                "c".repeat(64), "application/onnx");
        payloads.put(EventType.CHECKPOINT_IMPORTED, new CheckpointImported(run, 10, 0, "synthetic", 60, 1L, manifest,
                new ArtifactRef("artifact:" + RunArtifacts.importedFile(run, 10, ImportManifest.FILE), 300,
                        "d".repeat(64), "application/json"), List.of(onnx, onnx)));
        payloads.put(EventType.HYBRID_EVALUATED, new HybridEvaluated(run, "stage1", "test", "carry", "fp32", 0, 10, 60,
                Map.of("accuracy", 0.3, "agreementDeep", 0.5), "stratified size=60 seed=3", true));
        payloads.put(EventType.NOISE_SAMPLED, new NoiseSampled(run, 10, 8, 32, 17290L, null, null, params, null));
        payloads.put(EventType.TC_SUMMARY_COMPUTED, new TcSummaryComputed(run, "stage1", "test", "carry",
                List.of(0, 10, 20), Map.of("1", 0.8, "2", 0.5), 0.65, null, 0.5, 0.8, 0, 1,
                new TcVariant(0.65, 2, Map.of("1", 0.8, "2", 0.5), Map.of("10", 0.8, "20", 0.5), null, null),
                new TcVariant(0.8, 1, Map.of("1", 0.8), Map.of("10", 0.8), null, null)));
        payloads.put(EventType.HYBRID_PROGRESS, new GridProgress(run, 10, 3, 9, 12, 27, 3, GridProgress.COMPUTING,
                null));
        payloads.put(EventType.FEATURES_SNAPSHOTTED, new FeaturesSnapshotted(run, 10, "test",
                List.of("stem", "stage1", "stage2"), 60, feats));
        payloads.put(EventType.STATS_COMPUTED, new StatsComputed(run, "class-overlap-tv", "stage1", "test",
                List.of(10), "scalar", Map.of("bandwidth", "scott"), Map.of("meanTv", 0.4, "minTv", 0.1)));
        assertEquals(EventType.values().length, payloads.size(), "one real payload per event type");
        for (var e : payloads.entrySet()) {
            String json = new EventCodec("/contract-test").encode(run, e.getValue());
            assertValid(e.getKey(), JSON.readTree(json));
        }

        // and the results a plugged-in consumer publishes through the plug-in API (here: linear CKA)
        LocalArtifactStore store = new LocalArtifactStore(dir);
        float[][] f = {{1, 2}, {2, 1}, {0, 3}, {4, 4}};
        ArtifactRef real = store.put(RunArtifacts.featureSnapshot(run, 10, "test"),
                new FeatureSnapshot(new int[] {0, 1, 0, 1}, Map.of("stem", f)).encode(), FeatureSnapshot.MEDIA_TYPE);
        EventDispatcher dispatcher = new EventDispatcher(new CkaAnalysis(2), store);
        String in = new EventCodec("/splicer-service").encode(run,
                new FeaturesSnapshotted(run, 10, "test", List.of("stem"), 4, real));
        assertTrue(dispatcher.dispatch(Topics.FEATURE_SNAPSHOTS, run, in).isEmpty());
        List<OutgoingRecord> out = dispatcher.endBatch();
        assertEquals(1, out.size());
        assertEquals(Topics.STATS_RESULTS, out.get(0).topic());
        assertValid(EventType.STATS_COMPUTED, JSON.readTree(out.get(0).value()));
        assertEquals(EventCodec.STRUCTURED_CONTENT_TYPE, out.get(0).headers().get(EventCodec.CONTENT_TYPE_HEADER),
                "a result is a structured-mode CloudEvent (the Kafka binding's content-type header)");

        // the other shapes of the helper validate as well
        StatsComputed series = StatsResults.series(run, "x", null, null, List.of(), Map.of(), "lag", List.of(1, 2),
                Map.of("mean", List.of(0.5, Double.NaN)));
        assertEquals(java.util.Arrays.asList(0.5, null), ((Map<?, ?>) series.values().get("y")).get("mean"));
        assertValid(EventType.STATS_COMPUTED, JSON.readTree(new EventCodec("/t").encode(run, series)));
        StatsComputed oneLine = new StatsComputed(run, "x", null, null, List.of(), StatsResults.SERIES, Map.of(),
                Map.of("x", List.of(1, 2), "y", List.of(0.5, 0.25)));
        assertValid(EventType.STATS_COMPUTED, JSON.readTree(new EventCodec("/t").encode(run, oneLine)));
        StatsComputed noLines = new StatsComputed(run, "x", null, null, List.of(), StatsResults.SERIES, Map.of(),
                Map.of("x", List.of(1, 2), "series", Map.of("mean", List.of(0.5, 0.25))));
        assertFalse(DATA.get(EventType.STATS_COMPUTED).validate(JSON.readTree(new EventCodec("/t").encode(run, noLines))
                .path("data")).isEmpty(), "a series has its lines under y");
    }

    @Test
    void aResultOfTheWrongShapeIsRefusedByTheSchema() throws Exception {
        String run = "r1";
        StatsComputed badTable = new StatsComputed(run, "x", "stem", "test", List.of(), "table", Map.of(),
                Map.of("rows", List.of(1)));
        JsonNode node = JSON.readTree(new EventCodec("/t").encode(run, badTable));
        assertFalse(DATA.get(EventType.STATS_COMPUTED).validate(node.path("data")).isEmpty(),
                "a table without columns and cells is invalid");
        ObjectNode noSubject = (ObjectNode) JSON.readTree(new EventCodec("/t").encode(run, new RunFailed(run, "x")));
        noSubject.remove("subject");
        assertFalse(envelopeSchema.validate(noSubject).isEmpty(), "the subject (run id) is required");
    }

    private static void assertValid(EventType t, JsonNode envelope) {
        Set<ValidationMessage> errors = new HashSet<>(envelopeSchema.validate(envelope));
        JsonSchema data = DATA.get(t);
        assertNotNull(data, "schema of " + t.type());
        errors.addAll(data.validate(envelope.path("data")));
        assertTrue(errors.isEmpty(), t.type() + ": " + errors.stream().map(ValidationMessage::getMessage)
                .collect(Collectors.joining("; ")) + "\n" + envelope);
        assertEquals(t.dataschema(), envelope.path("dataschema").asText());
    }

    private static JsonNode message(EventType t) {
        for (JsonNode m : iterable(doc.path("components").path("messages"))) {
            if (t.type().equals(m.path("name").asText())) {
                return m;
            }
        }
        return null;
    }

    private static List<String> channelMessageRefs(String topic) {
        JsonNode msg = doc.path("channels").path(topic).path("subscribe").path("message");
        List<String> refs = new ArrayList<>();
        if (msg.has("oneOf")) {
            msg.path("oneOf").forEach(r -> refs.add(r.path("$ref").asText()));
        } else {
            refs.add(msg.path("$ref").asText());
        }
        return refs;
    }

    private static Iterable<JsonNode> iterable(JsonNode node) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue()));
        return m.values();
    }
}
