package io.splicelab.splicer;

import com.fasterxml.jackson.databind.JsonNode;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.EventType;
import io.splicelab.model.events.Payloads.CheckpointCreated;
import io.splicelab.model.events.Payloads.CheckpointImported;
import io.splicelab.model.store.ArtifactIntegrityException;
import io.splicelab.model.store.ArtifactStore;
import io.splicelab.model.store.RunArtifacts;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The splicer's durable to-do list, in the artifact store: one small file per accepted checkpoint event,
 * {@code runs/<runId>/splicer/pending/step-XXXXXXXX.json} holding the event's type and payload. The consumer
 * writes it before acknowledging the record and the worker removes it only after the checkpoint's cells are
 * stored, so a crash (kill -9) at any point loses nothing: at start-up every pending item is picked up again.
 * The same checkpoint accepted twice is one item (same content, same key).
 */
@ApplicationScoped
public class PendingWork {
    private final ArtifactStore store;

    public PendingWork(ArtifactStore store) {
        this.store = store;
    }

    /** One checkpoint to evaluate: a created or an imported one. */
    public record Item(String key, String runId, int step, CheckpointCreated created, CheckpointImported imported) {
    }

    public static String key(String runId, int step) {
        return String.format("%s/splicer/pending/step-%08d.json", RunArtifacts.runPrefix(runId), step);
    }

    /**
     * Persists a checkpoint event as a work item and returns its key.
     *
     * @throws ArtifactIntegrityException when another checkpoint event of the same run and step is pending
     */
    public String add(CheckpointCreated created) {
        return put(created.runId(), created.step(), EventType.CHECKPOINT_CREATED, created);
    }

    public String add(CheckpointImported imported) {
        return put(imported.runId(), imported.step(), EventType.CHECKPOINT_IMPORTED, imported);
    }

    private String put(String runId, int step, EventType type, Object payload) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("type", type.type());
        item.put("payload", payload);
        String key = key(runId, step);
        try {
            store.put(key, EventCodec.toJson(item).getBytes(StandardCharsets.UTF_8), "application/json");
        } catch (ArtifactIntegrityException e) {
            throw new ArtifactIntegrityException("another checkpoint event of run " + runId + " at step " + step
                    + " is still being evaluated");
        }
        return key;
    }

    /** Every pending item in the store, by run and step. */
    public List<String> all() {
        List<String> out = new ArrayList<>();
        for (String key : store.list("runs")) {
            if (key.matches("runs/[^/]+/splicer/pending/step-\\d{8}\\.json")) {
                out.add(key);
            }
        }
        return out;
    }

    public boolean exists(String key) {
        return store.exists(key);
    }

    /**
     * Reads an item back.
     *
     * @throws UncheckedIOException or a decoding exception when the file is not an item
     */
    public Item read(String key) {
        try {
            JsonNode node = EventCodec.mapper().readTree(store.read(key));
            String type = node.path("type").asText();
            JsonNode payload = node.path("payload");
            if (EventType.CHECKPOINT_CREATED.type().equals(type)) {
                CheckpointCreated c = EventCodec.mapper().treeToValue(payload, CheckpointCreated.class);
                return new Item(key, c.runId(), c.step(), c, null);
            }
            if (EventType.CHECKPOINT_IMPORTED.type().equals(type)) {
                CheckpointImported c = EventCodec.mapper().treeToValue(payload, CheckpointImported.class);
                return new Item(key, c.runId(), c.step(), null, c);
            }
            throw new IllegalArgumentException("pending item " + key + " has unknown type " + type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read pending item " + key, e);
        }
    }

    /** Removes an item once its checkpoint's cells are stored (or it was recorded incomplete). */
    public void remove(String key) {
        store.deleteAll(key);
    }

    /** The run and step of an item's key. */
    static String runOf(String key) {
        return key.split("/")[1];
    }

    static int stepOf(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        return Integer.parseInt(name.substring("step-".length(), "step-".length() + 8));
    }
}
