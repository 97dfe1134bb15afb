package io.splicelab.gateway.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.splicelab.edge.problem.Problem.FieldProblem;
import io.splicelab.edge.problem.ProblemException;
import io.splicelab.gateway.claims.ClaimsExperiment;
import io.splicelab.gateway.experiments.ExperimentViews.ExperimentRequest;
import io.splicelab.model.events.EventCodec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExperimentPlanTest {

    private static JsonNode json(String s) {
        try {
            return EventCodec.mapper().readTree(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Map<String, JsonNode> variants(String s) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        json(s).fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static List<FieldProblem> errors(ExperimentRequest r) {
        ProblemException e = assertThrows(ProblemException.class, () -> ExperimentPlan.of(r));
        assertEquals(400, e.problem().status());
        assertEquals("https://splicelab.io/problems/invalid-experiment", e.problem().type());
        return e.problem().errors();
    }

    @Test
    void everyVariantTimesEverySeedIsARunOfThePatchedBase() {
        ExperimentPlan plan = ExperimentPlan.of(new ExperimentRequest(" paper ", json("{\"steps\":60,"
                + "\"checkpointInterval\":20}"), variants("{\"baseline\":{},\"random-labels\":{\"labelNoise\":1},"
                + "\"frozen\":{\"freezeCut\":\"stage1\",\"freezeStep\":30}}"), List.of(1L, 2L, 3L)));
        assertEquals("paper", plan.name());
        assertEquals(9, plan.runs().size());
        assertEquals(List.of("baseline", "baseline", "baseline", "random-labels", "random-labels", "random-labels",
                "frozen", "frozen", "frozen"), plan.runs().stream().map(ExperimentPlan.PlannedRun::variant).toList());
        assertEquals(List.of(1L, 2L, 3L, 1L, 2L, 3L, 1L, 2L, 3L), plan.runs().stream()
                .map(r -> r.config().seed()).toList());
        var baseline = plan.runs().get(0).config();
        assertEquals(0.0, baseline.labelNoise());
        assertNull(baseline.freezeCut());
        assertNull(baseline.freezeStep(), "the baseline has no freeze: the frozen variant's fields are its own");
        assertEquals(60, baseline.steps());
        assertEquals(1.0, plan.runs().get(3).config().labelNoise());
        assertEquals("stage1", plan.runs().get(6).config().freezeCut());
        assertEquals(30, plan.runs().get(6).config().freezeStep());
        assertEquals(60, plan.runs().get(8).config().steps());
    }

    @Test
    void aVariantMayRemoveABaseFieldWithNull() {
        ExperimentPlan plan = ExperimentPlan.of(new ExperimentRequest("x", json("{\"freezeCut\":\"stage1\","
                + "\"freezeStep\":10}"), variants("{\"frozen\":{},\"free\":{\"freezeCut\":null,\"freezeStep\":null}}"),
                List.of(7L)));
        assertEquals("stage1", plan.runs().get(0).config().freezeCut());
        assertNull(plan.runs().get(1).config().freezeCut());
    }

    @Test
    void errorsNameTheVariantAndTheField() {
        List<FieldProblem> errors = errors(new ExperimentRequest("x", json("{\"steps\":100}"), variants(
                "{\"ok\":{},\"frozen\":{\"freezeStep\":30},\"long\":{\"freezeCut\":\"stage1\",\"freezeStep\":500},"
                        + "\"typo\":{\"labelNoize\":1},\"typed\":{\"steps\":\"many\"}}"), List.of(1L, 2L)));
        assertEquals(List.of("variants.frozen.freezeStep", "variants.long.freezeStep", "variants.typo.labelNoize",
                "variants.typed.steps"), errors.stream().map(FieldProblem::field).toList(), errors.toString());
        assertEquals("needs a freezeCut", errors.get(0).message());
        assertEquals("must be between 0 and steps", errors.get(1).message());
        assertEquals("is not a field of the run configuration", errors.get(2).message());
    }

    @Test
    void theRequestItselfIsChecked() {
        assertEquals(List.of("name", "variants", "seeds"), errors(new ExperimentRequest(" ", null, null, null))
                .stream().map(FieldProblem::field).toList());
        assertEquals(List.of("name"), errors(new ExperimentRequest("exp-0123456789ab", null, variants("{\"a\":{}}"),
                List.of(1L))).stream().map(FieldProblem::field).toList());
        assertEquals(List.of("base.seed", "seeds", "variants.b.seed"), errors(new ExperimentRequest("x",
                json("{\"seed\":1}"), variants("{\"b\":{\"seed\":2}}"), List.of(1L, 1L))).stream()
                .map(FieldProblem::field).toList());
        assertEquals(List.of("base", "variants.b", "variants.bad name"), errors(new ExperimentRequest("x",
                json("[1]"), variants("{\"b\":3,\"bad name\":{}}"), List.of(1L))).stream()
                .map(FieldProblem::field).toList());
    }

    @Test
    void variantsTimesSeedsHaveABudget() {
        Map<String, JsonNode> many = new LinkedHashMap<>();
        for (int i = 0; i < 7; i++) {
            many.put("v" + i, json("{}"));
        }
        List<FieldProblem> errors = errors(new ExperimentRequest("x", null, many, List.of(1L, 2L, 3L, 4L, 5L, 6L)));
        assertEquals("seeds", errors.get(0).field());
        assertTrue(errors.get(0).message().contains("7 x 6"), errors.get(0).message());
        assertEquals(36, ExperimentPlan.of(new ExperimentRequest("x", null, many.entrySet().stream().limit(6)
                .collect(LinkedHashMap::new, (m, e) -> m.put(e.getKey(), e.getValue()), Map::putAll),
                List.of(1L, 2L, 3L, 4L, 5L, 6L))).runs().size());
    }

    @Test
    void theClaimsExperimentIsValid() {
        ExperimentPlan plan = ExperimentPlan.of(ClaimsExperiment.request(null, null));
        assertEquals(9, plan.runs().size());
        assertEquals("fashion-mnist", plan.runs().get(0).config().dataset());
        assertEquals(List.of(240), plan.runs().get(0).config().noiseSteps());
        assertEquals(1.0, plan.runs().get(3).config().labelNoise());
        assertEquals(List.of(), plan.runs().get(3).config().noiseSteps());
        assertEquals("stage1", plan.runs().get(6).config().freezeCut());
        assertNull(plan.runs().get(0).config().freezeCut());
        // the evaluation plan the claims read: train (with train-noisy under random labels), test, corruptions
        assertEquals(ClaimsExperiment.EVAL_SETS, plan.runs().get(0).config().evalSets());
        assertEquals(List.of("test", "train", "train-noisy", "gaussian_noise-3", "fog-3", "contrast-3"),
                plan.runs().get(3).config().evalSets());
    }
}
