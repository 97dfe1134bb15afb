package io.splicelab.gateway.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splicelab.edge.problem.Problem;
import io.splicelab.edge.problem.ProblemException;
import io.splicelab.edge.problem.ProblemMappers;
import io.splicelab.model.events.RunConfig;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

class RunConfigValidationTest {

    @Test
    void noBodyMeansAllDefaults() {
        RunConfig config = RunConfigValidation.validated(null);
        assertEquals("resnet20", config.architecture());
        assertEquals(200, config.steps());
        assertEquals(50, config.checkpointInterval());
    }

    @Test
    void givenFieldsAreKeptAndTheRestDefaulted() {
        RunConfig config = RunConfigValidation.validated(
                new RunConfig("resnet32", null, null, 100, null, null, null, 25, 7L, null, null));
        assertEquals("resnet32", config.architecture());
        assertEquals(100, config.steps());
        assertEquals(25, config.checkpointInterval());
        assertEquals(7L, config.seed());
        assertEquals(64, config.batchSize());
    }

    @Test
    void invalidConfigIsAProblemNamingEveryBadField() {
        ProblemException e = assertThrows(ProblemException.class, () -> RunConfigValidation.validated(
                new RunConfig("vgg", null, null, 0, null, null, null, null, null, null, null)));
        Problem p = e.problem();
        assertEquals("https://splicelab.io/problems/invalid-run-config", p.type());
        assertEquals("Invalid run configuration", p.title());
        assertEquals(400, p.status());
        assertTrue(p.errors().stream().anyMatch(f -> f.field().equals("steps")), p.errors().toString());
        assertTrue(p.errors().stream().anyMatch(f -> f.field().equals("architecture")), p.errors().toString());
        assertTrue(p.detail().contains("steps"), p.detail());
    }

    @Test
    void aBadEvaluationSubsetIsAProblemNamingItsField() {
        RunConfig listed = RunConfigValidation.validated(new RunConfig(null, null, null, null, null, null, null, null,
                null, null, null).withEvalSubset(null, java.util.List.of(9, 8, 7, 6, 5, 4, 3, 2, 1, 0)));
        assertEquals("indices", listed.evalSubset());
        assertEquals(10, listed.evalSize());
        ProblemException e = assertThrows(ProblemException.class, () -> RunConfigValidation.validated(
                new RunConfig(null, null, null, null, null, null, null, null, null, null, null)
                        .withEvalSubset("indices", java.util.List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 2000))));
        assertEquals(400, e.problem().status());
        assertEquals(java.util.List.of("evalIndices"), e.problem().errors().stream().map(f -> f.field()).toList());
        assertTrue(e.problem().detail().contains("evalIndices must be indices into the dataset's test split"),
                e.problem().detail());
        ProblemException named = assertThrows(ProblemException.class, () -> RunConfigValidation.validated(
                new RunConfig(null, null, null, null, null, null, null, null, null, null, null)
                        .withEvalSubset("last", null)));
        assertEquals("evalSubset", named.problem().errors().get(0).field());
    }

    @Test
    void problemIsAnsweredAsProblemJson() {
        ProblemException e = assertThrows(ProblemException.class, () -> RunConfigValidation.validated(
                new RunConfig(null, null, null, null, 0, null, null, null, null, null, null)));
        try (Response response = new ProblemMappers(new io.splicelab.edge.health.FatalErrors()).problem(e)) {
            assertEquals(400, response.getStatus());
            assertEquals("application/problem+json", response.getMediaType().toString());
            assertEquals("batchSize", ((Problem) response.getEntity()).errors().get(0).field());
        }
    }

    @Test
    void runIdsAreRunAndTwelveHexDigits() {
        String id = RunSubmission.newRunId();
        assertTrue(id.matches("run-[0-9a-f]{12}"), id);
    }
}
