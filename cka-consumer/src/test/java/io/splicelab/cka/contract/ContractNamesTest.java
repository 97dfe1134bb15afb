package io.splicelab.cka.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.RunConfig;
import io.splicelab.model.values.BnMode;
import io.splicelab.model.values.EvalSet;
import io.splicelab.model.values.Metric;
import io.splicelab.model.values.WireName;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The names a consumer needs from the published schemas (docs/events/schemas) are the code's, so they cannot drift:
 * the run configuration's properties are {@link RunConfig}'s record components, with the JSON type of each and the
 * names of its closed sets; the metric names are {@link Metric}'s; the BatchNorm modes {@link BnMode}'s; the
 * evaluation sets the ones {@link EvalSet} accepts. A component added to {@code RunConfig}, a metric added to
 * {@code Metric} fails here until the schema says it.
 */
class ContractNamesTest {
    static final Path SCHEMAS = Repo.root().resolve("docs/events/schemas");
    static final List<String> WITH_CONFIG = List.of("io.splicelab.run.requested", "io.splicelab.run.started",
            "io.splicelab.checkpoint.created");

    @Test
    void theRunConfigurationSchemaHasEveryComponentOfRunConfigWithItsType() throws IOException {
        JsonNode first = null;
        for (String type : WITH_CONFIG) {
            JsonNode config = schema(type).path("definitions").path("runConfig");
            if (first == null) {
                first = config;
            }
            assertEquals(first, config, type + " has the same runConfig definition as " + WITH_CONFIG.get(0));
        }
        JsonNode properties = first.path("properties");
        List<String> documented = new ArrayList<>();
        properties.fieldNames().forEachRemaining(documented::add);
        List<String> components = Stream.of(RunConfig.class.getRecordComponents()).map(RecordComponent::getName)
                .toList();
        assertEquals(components, documented, "the schema's runConfig properties are RunConfig's components, in order");
        for (RecordComponent c : RunConfig.class.getRecordComponents()) {
            JsonNode p = properties.path(c.getName());
            assertEquals(List.of(jsonType(c.getGenericType()), "null"), strings(p.path("type")),
                    c.getName() + ": the JSON type of " + c.getGenericType().getTypeName() + " (or null)");
            assertFalse(p.path("description").asText().isBlank(), c.getName() + " is described");
        }
    }

    @Test
    void theRunConfigurationsClosedSetsAreTheCodes() throws IOException {
        JsonNode properties = schema(WITH_CONFIG.get(0)).path("definitions").path("runConfig").path("properties");
        Map<String, Set<String>> closed = Map.of("architecture", RunConfig.ARCHITECTURES, "dataset", RunConfig.DATASETS,
                "optimizer", RunConfig.OPTIMIZERS, "lrSchedule", RunConfig.SCHEDULES, "augmentation",
                union(RunConfig.AUGMENTATIONS, Set.of("auto")), "device", RunConfig.DEVICES, "evalSubset",
                RunConfig.EVAL_SUBSETS, "shortcut", Set.of("A", "B"));
        closed.forEach((field, names) -> {
            JsonNode e = properties.path(field).path("enum");
            assertTrue(e.isArray(), field + " lists its names");
            Set<String> listed = new TreeSet<>();
            boolean nullable = false;
            for (JsonNode n : e) {
                if (n.isNull()) {
                    nullable = true;
                } else {
                    listed.add(n.asText());
                }
            }
            assertEquals(new TreeSet<>(names), listed, field);
            assertTrue(nullable, field + " may be left out (null)");
        });
    }

    @Test
    void theMetricNamesAreMetricsWireNamesEachDescribedWithItsUnit() throws IOException {
        JsonNode metrics = schema("io.splicelab.hybrid.evaluated").path("properties").path("metrics");
        assertEquals(Metric.wireNames(), strings(metrics.path("propertyNames").path("enum")));
        List<String> described = new ArrayList<>();
        metrics.path("properties").fieldNames().forEachRemaining(described::add);
        assertEquals(Metric.wireNames(), described);
        metrics.path("properties").forEach(p -> assertFalse(p.path("description").asText().isBlank()));
        JsonSchema cell = validator("io.splicelab.hybrid.evaluated");
        assertTrue(cell.validate(cell("test", "carry", Map.of("accuracy", 0.5, "klDeep", 0.1))).isEmpty());
        assertFalse(cell.validate(cell("test", "carry", Map.of("loss", 0.5))).isEmpty(), "an unknown metric");
    }

    @Test
    void theBnModesAreBnModesWireNames() throws IOException {
        for (String type : List.of("io.splicelab.hybrid.evaluated", "io.splicelab.hybrid.summary")) {
            assertEquals(WireName.wireNames(BnMode.class), strings(schema(type).path("properties").path("bnMode").path("enum")), type);
        }
        JsonNode stats = schema("io.splicelab.stats.computed").path("properties").path("bnMode").path("enum");
        Set<String> statsModes = new LinkedHashSet<>(strings(stats));
        statsModes.remove("");
        statsModes.remove("null");
        assertEquals(new LinkedHashSet<>(WireName.wireNames(BnMode.class)), statsModes);
    }

    /**
     * The schema's evaluation-set pattern accepts exactly what {@link EvalSet#parse} accepts: every plain set, every
     * corruption at every severity, and refuses the near misses.
     */
    @Test
    void theEvaluationSetPatternAcceptsExactlyTheEvaluationSets() throws IOException {
        JsonSchema cell = validator("io.splicelab.hybrid.evaluated");
        List<String> good = new ArrayList<>(List.of("test", "train", "train-noisy"));
        for (String c : union(Set.copyOf(EvalSet.COMPUTED_CORRUPTIONS), Set.copyOf(EvalSet.FILE_ONLY_CORRUPTIONS))) {
            for (int s = 1; s <= EvalSet.MAX_SEVERITY; s++) {
                good.add(c + "-" + s);
            }
        }
        for (String name : good) {
            EvalSet.parse(name);
            assertTrue(cell.validate(cell(name, "carry", Map.of())).isEmpty(), name);
        }
        for (String name : List.of("", "Test", "fog", "fog-0", "fog-6", "fog-03", "rain-3", "test-1", "fog-3 ",
                "train_noisy")) {
            boolean parses;
            try {
                EvalSet.parse(name);
                parses = true;
            } catch (IllegalArgumentException e) {
                parses = false;
            }
            assertFalse(parses, name + " is no evaluation set");
            assertFalse(cell.validate(cell(name, "carry", Map.of())).isEmpty(), name + " is refused by the schema");
        }
        assertFalse(cell.validate(cell("test", "deep", Map.of())).isEmpty(), "an unknown BatchNorm mode");
    }

    private static JsonNode cell(String evalSet, String bnMode, Map<String, Double> metrics) {
        return EventCodec.mapper().valueToTree(Map.of("runId", "r", "cut", "stage1", "evalSet", evalSet, "bnMode",
                bnMode, "shallowStep", 0, "deepStep", 10, "samples", 60, "metrics", metrics));
    }

    private static String jsonType(Type t) {
        if (t instanceof ParameterizedType p && p.getRawType() == List.class) {
            return "array";
        }
        return switch (t.getTypeName()) {
            case "java.lang.String" -> "string";
            case "java.lang.Double", "java.lang.Float" -> "number";
            case "java.lang.Integer", "java.lang.Long" -> "integer";
            case "java.lang.Boolean" -> "boolean";
            default -> throw new AssertionError("no JSON type known for a RunConfig component of type " + t);
        };
    }

    private static JsonNode schema(String type) throws IOException {
        return EventCodec.mapper().readTree(SCHEMAS.resolve(type + ".json").toFile());
    }

    private static JsonSchema validator(String type) throws IOException {
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(schema(type));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.isNull() ? "null" : n.asText()));
        return out;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new HashSet<>(a);
        out.addAll(b);
        return out;
    }
}
