package io.splicelab.gateway.hybrids;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splicelab.gateway.hybrids.HybridGrid.Cell;
import io.splicelab.gateway.hybrids.HybridGrid.Query;
import io.splicelab.gateway.hybrids.HybridGrid.View;
import io.splicelab.edge.problem.ProblemException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HybridGridTest {
    private static final Query ALL = new Query(null, null, null, null);

    private static Cell cell(String cut, int shallow, int deep, String evalSet, String bnMode) {
        return new Cell(cut, evalSet, bnMode, "float32", shallow, deep, 500,
                Map.of("accuracy", 0.8, "agreementDeep", 0.9, "agreementShallow", 0.7, "relativeAccuracy", 0.95));
    }

    private static final List<Cell> CELLS = List.of(
            cell("stem", 50, 0, "test", "carry"),
            cell("stem", 0, 50, "test", "carry"),
            cell("stage1", 0, 100, "test", "carry"),
            cell("stem", 0, 100, "test", "recompute"),
            cell("stage2", 0, 50, "noisy", "carry"),
            cell("stage1", 0, 50, "test", "carry"));

    @Test
    void sortsByCutOrderOfAppearanceThenShallowThenDeep() {
        View v = HybridGrid.build("r", List.of(0, 50, 100), CELLS, ALL);
        assertEquals(List.of("stem", "stage1", "stage2"), v.cuts());
        assertEquals(List.of(0, 50, 100), v.checkpoints());
        List<String> order = v.cells().stream().map(c -> c.cut() + ":" + c.shallowStep() + ":" + c.deepStep())
                .toList();
        assertEquals(List.of("stem:0:50", "stem:0:100", "stem:50:0", "stage1:0:50", "stage1:0:100", "stage2:0:50"),
                order);
    }

    @Test
    void checkpointAxisIncludesStepsOnlySeenInCells() {
        View v = HybridGrid.build("r", List.of(0), CELLS, ALL);
        assertEquals(List.of(0, 50, 100), v.checkpoints());
    }

    @Test
    void filtersByCutEvalSetAndBnMode() {
        assertEquals(3, HybridGrid.build("r", List.of(), CELLS, new Query("stem", null, null, null)).cells().size());
        assertEquals(1, HybridGrid.build("r", List.of(), CELLS, new Query(null, null, "noisy", null)).cells().size());
        assertEquals(1,
                HybridGrid.build("r", List.of(), CELLS, new Query("stem", null, "test", "recompute")).cells().size());
        assertEquals(0, HybridGrid.build("r", List.of(), CELLS, new Query(null, null, "nope", null)).cells().size());
    }

    @Test
    void metricKeepsOnlyThatKey() {
        View v = HybridGrid.build("r", List.of(), CELLS, new Query(null, "accuracy", null, null));
        assertEquals(CELLS.size(), v.cells().size());
        assertTrue(v.cells().stream().allMatch(c -> c.metrics().equals(Map.of("accuracy", 0.8))));
    }

    @Test
    void unknownCutOrMetricIsABadRequestNamingTheParameter() {
        ProblemException cut = assertThrows(ProblemException.class,
                () -> HybridGrid.build("r", List.of(), CELLS, new Query("stage9", null, null, null)));
        assertEquals(400, cut.problem().status());
        assertEquals("cut", cut.problem().errors().get(0).field());
        ProblemException metric = assertThrows(ProblemException.class,
                () -> HybridGrid.build("r", List.of(), CELLS, new Query(null, "f1", null, null)));
        assertEquals("metric", metric.problem().errors().get(0).field());
    }

    @Test
    void aRunWithoutCellsGivesAnEmptyGridWhateverTheFilter() {
        View v = HybridGrid.build("r", List.of(0, 50), List.of(), new Query("stage9", "f1", null, null));
        assertTrue(v.cells().isEmpty());
        assertTrue(v.cuts().isEmpty());
        assertEquals(List.of(0, 50), v.checkpoints());
    }
}
