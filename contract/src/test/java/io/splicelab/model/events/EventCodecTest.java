package io.splicelab.model.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splicelab.model.events.EventCodec.InvalidEventException;
import io.splicelab.model.events.Payloads.HybridEvaluated;
import io.splicelab.model.events.Payloads.RunRequested;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventCodecTest {
    private final EventCodec codec = new EventCodec("/test");

    @Test
    void wrapsPayloadsInCloudEventsKeyedByRun() {
        HybridEvaluated cell = new HybridEvaluated("run-1", "stage1", "test", "carry", "float32", 0, 60, 500,
                Map.of("accuracy", 0.5));
        String json = codec.encode("run-1", cell);
        Envelope envelope = EventCodec.decode(json);
        assertEquals("1.0", envelope.specversion());
        assertEquals("io.splicelab.hybrid.evaluated", envelope.type());
        assertEquals("run-1", envelope.subject());
        assertEquals("/test", envelope.source());
        assertEquals(EventType.SCHEMA_VERSION, envelope.schemaversion());
        assertTrue(envelope.dataschema().startsWith("urn:splicelab:schema:io.splicelab.hybrid.evaluated"));
        assertEquals(cell, EventCodec.payload(envelope));
        assertEquals(Topics.HYBRID_RESULTS, EventType.ofType(envelope.type()).orElseThrow().topic());
    }

    @Test
    void aCellCarriesItsEvaluationSubsetAndACellWrittenBeforeReadsWithout() {
        HybridEvaluated cell = new HybridEvaluated("run-1", "stage1", "test", "carry", "float32", 0, 60, 500,
                Map.of("accuracy", 0.5), "first size=500");
        String json = codec.encode("run-1", cell);
        assertTrue(json.contains("\"evalSubset\":\"first size=500\""), json);
        assertEquals(cell, EventCodec.payload(EventCodec.decode(json)));
        String before = json.replace(",\"evalSubset\":\"first size=500\"", "");
        HybridEvaluated old = (HybridEvaluated) EventCodec.payload(EventCodec.decode(before));
        assertEquals(null, old.evalSubset());
        assertEquals(cell.metrics(), old.metrics());
    }

    @Test
    void everyPayloadTypeHasOneEventTypeOnAPublicTopic() {
        for (EventType type : EventType.values()) {
            assertEquals(type, EventType.ofPayload(type.payloadClass()).orElseThrow());
            assertTrue(Topics.ALL.contains(type.topic()), type + " on " + type.topic());
        }
    }

    @Test
    void rejectsWhatIsNotAValidEnvelopeWithAReason() {
        assertThrows(InvalidEventException.class, () -> EventCodec.decode("not json"));
        assertThrows(InvalidEventException.class, () -> EventCodec.decode("{\"specversion\":\"0.3\"}"));
        assertThrows(InvalidEventException.class,
                () -> EventCodec.decode("{\"specversion\":\"1.0\",\"type\":\"x\",\"subject\":\"r\"}"));
        String newer = codec.encode("r", new RunRequested("r", new RunConfig(null, null, null, null, null, null,
                null, null, null, null, null))).replace("\"schemaversion\":1", "\"schemaversion\":99");
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> EventCodec.decode(newer));
        assertTrue(e.getMessage().contains("99"));
        String unknownType = codec.encode("r", new Payloads.RunFailed("r", "x")).replace("io.splicelab.run.failed",
                "io.example.other");
        assertThrows(InvalidEventException.class, () -> EventCodec.payload(EventCodec.decode(unknownType)));
    }

    @Test
    void runConfigDefaultsAndValidationNameTheField() {
        RunConfig defaults = new RunConfig(null, null, null, null, null, null, null, null, null, null, null)
                .withDefaults();
        assertEquals(java.util.List.of(), defaults.validate());
        RunConfig bad = new RunConfig("vgg", 0.5, "synthetic", 0, 64, 0.1, 0.9, 50, 1L, 1000, 100).withDefaults();
        var fields = bad.validate().stream().map(RunConfig.FieldError::field).toList();
        assertEquals(java.util.List.of("architecture", "steps"), fields);
        assertEquals(java.util.List.of(0, 50, 100, 120),
                new RunConfig(null, null, null, 120, null, null, null, 50, null, null, null).withDefaults()
                        .checkpointSteps());
    }
}
