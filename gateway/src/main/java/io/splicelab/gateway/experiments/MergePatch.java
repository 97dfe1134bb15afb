package io.splicelab.gateway.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON Merge Patch (RFC 7386): how a variant of an experiment says what it changes in the base configuration.
 * A member of the patch replaces the target's, an object merges recursively, {@code null} removes the member, and a
 * patch that is not an object replaces the whole target. Chosen over JSON Patch (RFC 6902) because a variant reads
 * like the configuration it changes: {@code {"labelNoise": 1}}. Pure; neither argument is modified.
 */
public final class MergePatch {
    private MergePatch() {
    }

    /**
     * @param target the document patched (null: nothing, as if absent)
     * @param patch the merge patch (null: the JSON {@code null}, which removes everything)
     * @return a new document
     */
    public static JsonNode apply(JsonNode target, JsonNode patch) {
        if (patch == null || !patch.isObject()) {
            return patch == null ? JsonNodeFactory.instance.nullNode() : patch.deepCopy();
        }
        ObjectNode out = target != null && target.isObject() ? ((ObjectNode) target).deepCopy()
                : JsonNodeFactory.instance.objectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (f.getValue().isNull()) {
                out.remove(f.getKey());
            } else {
                out.set(f.getKey(), apply(out.get(f.getKey()), f.getValue()));
            }
        }
        return out;
    }
}
