package io.splicelab.gateway.runs;

import com.fasterxml.jackson.databind.JsonNode;
import io.splicelab.edge.problem.ProblemException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What a researcher wrote about a run, so that a run list of hex ids becomes "lr 0.4, no warm-up" and can be found by
 * tag: its name, its tags and notes. A patch ({@code PATCH /api/runs/{id}}) is a JSON merge patch: a field left out
 * stays, {@code null} clears it. Checked here, pure: a bad field is a {@code 400} naming it.
 *
 * @param name the run's name, null when it has none
 * @param tags its tags in the order given, without duplicates
 * @param notes free text, null when none
 */
@Schema(description = "A run's name, tags and notes")
public record RunLabels(
        @Schema(description = "the run's name, 1 to 100 characters", examples = "lr 0.4, no warm-up") String name,
        @Schema(description = "at most 20 tags of 1 to 40 characters: letters, digits, space and . _ : / + = -",
                examples = "[\"baseline\", \"lr-sweep\"]") List<String> tags,
        @Schema(description = "free text, at most 10000 characters") String notes) {
    /** The longest name. */
    public static final int MAX_NAME = 100;
    /** The most tags on one run. */
    public static final int MAX_TAGS = 20;
    /** The longest tag. */
    public static final int MAX_TAG = 40;
    /** The longest notes. */
    public static final int MAX_NOTES = 10_000;
    /** A run without labels. */
    public static final RunLabels NONE = new RunLabels(null, List.of(), null);

    private static final Set<String> FIELDS = Set.of("name", "tags", "notes");
    private static final Pattern TAG = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} ._:/+=-]*");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}&&[^\\n\\t\\r]]");

    public RunLabels {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /**
     * These labels with a merge patch applied.
     *
     * @throws ProblemException 400 naming the field: not an object, an unknown field, a value of the wrong type or
     *     out of bounds
     */
    public RunLabels patch(JsonNode patch) {
        if (patch == null || !patch.isObject()) {
            throw ProblemException.invalidParameter("body", "must be a JSON object with name, tags and/or notes");
        }
        String newName = name;
        List<String> newTags = tags;
        String newNotes = notes;
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            switch (field.getKey()) {
                case "name" -> newName = name(value);
                case "tags" -> newTags = tags(value);
                case "notes" -> newNotes = notes(value);
                default -> throw ProblemException.invalidParameter(field.getKey(),
                        "unknown field (known: " + FIELDS.stream().sorted().toList() + ")");
            }
        }
        return new RunLabels(newName, newTags, newNotes);
    }

    private static String name(JsonNode value) {
        if (value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ProblemException.invalidParameter("name", "must be a string or null");
        }
        String name = value.asText().strip();
        if (name.isEmpty()) {
            return null;
        }
        if (name.length() > MAX_NAME) {
            throw ProblemException.invalidParameter("name", "must have at most " + MAX_NAME + " characters");
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw ProblemException.invalidParameter("name", "must be one line without control characters");
        }
        return name;
    }

    private static List<String> tags(JsonNode value) {
        if (value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw ProblemException.invalidParameter("tags", "must be an array of strings or null");
        }
        Set<String> tags = new LinkedHashSet<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode t = value.get(i);
            String field = "tags[" + i + "]";
            if (!t.isTextual()) {
                throw ProblemException.invalidParameter(field, "must be a string");
            }
            String tag = t.asText().strip();
            if (tag.isEmpty() || tag.length() > MAX_TAG) {
                throw ProblemException.invalidParameter(field, "must have 1 to " + MAX_TAG + " characters");
            }
            if (!TAG.matcher(tag).matches()) {
                throw ProblemException.invalidParameter(field, "must start with a letter or digit and hold only "
                        + "letters, digits, space and . _ : / + = -");
            }
            tags.add(tag);
        }
        if (tags.size() > MAX_TAGS) {
            throw ProblemException.invalidParameter("tags", "must list at most " + MAX_TAGS + " tags");
        }
        return new ArrayList<>(tags);
    }

    private static String notes(JsonNode value) {
        if (value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ProblemException.invalidParameter("notes", "must be a string or null");
        }
        String notes = value.asText();
        if (notes.length() > MAX_NOTES) {
            throw ProblemException.invalidParameter("notes", "must have at most " + MAX_NOTES + " characters");
        }
        if (CONTROL.matcher(notes).find()) {
            throw ProblemException.invalidParameter("notes", "must not hold control characters other than "
                    + "line breaks and tabs");
        }
        return notes.isBlank() ? null : notes;
    }
}
