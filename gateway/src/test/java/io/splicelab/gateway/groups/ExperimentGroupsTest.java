package io.splicelab.gateway.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.splicelab.gateway.groups.GroupViews.GroupRequest;
import io.splicelab.edge.problem.ProblemException;
import io.splicelab.model.events.RunConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExperimentGroupsTest {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final RunConfig BASE = new RunConfig(null, null, null, 60, null, null, null, 20, 5L, null, null);

    @Test
    void oneConfigurationPerValueDifferingOnlyInTheFactor() {
        List<RunConfig> configs = ExperimentGroups.configs(new GroupRequest("s", "seed",
                List.<JsonNode>of(JSON.numberNode(1), JSON.numberNode(2)), BASE));
        assertEquals(List.of(1L, 2L), configs.stream().map(RunConfig::seed).toList());
        assertEquals(List.of(60, 60), configs.stream().map(RunConfig::steps).toList());
        assertEquals("resnet20", configs.get(0).architecture(), "defaults filled in");
    }

    @Test
    void everyBadValueIsNamedAndNothingIsReturned() {
        ProblemException e = assertThrows(ProblemException.class, () -> ExperimentGroups.configs(new GroupRequest(null,
                "widthMultiplier", List.<JsonNode>of(JSON.numberNode(1.0), JSON.numberNode(99), JSON.textNode("wide")),
                BASE)));
        assertEquals(List.of("values[1]", "values[2]"), e.problem().errors().stream().map(f -> f.field()).toList());
    }

    @Test
    void unknownFactorAndEmptyValuesAreRejected() {
        assertEquals("factor", assertThrows(ProblemException.class, () -> ExperimentGroups.configs(
                new GroupRequest(null, "colour", List.<JsonNode>of(JSON.numberNode(1)), null))).problem().errors().get(0)
                .field());
        assertEquals("values", assertThrows(ProblemException.class, () -> ExperimentGroups.configs(
                new GroupRequest(null, "seed", List.of(), null))).problem().errors().get(0).field());
    }
}
