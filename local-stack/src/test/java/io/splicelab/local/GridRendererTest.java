package io.splicelab.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splicelab.local.GridRenderer.TcSummary;
import io.splicelab.local.HybridGrid.Cell;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GridRendererTest {

    private static Cell cell(String cut, int a, int b, double acc) {
        return new Cell(cut, "test", "deep", a, b, Map.of("accuracy", acc));
    }

    private static List<Cell> threeByThree() {
        // rows: shallow 0, 60, 120; columns: deep 0, 60, 120
        double[][] acc = {
                {0.100, 0.300, 0.500},
                {0.110, 0.400, 0.550},
                {0.120, 0.380, 0.600}};
        int[] steps = {0, 60, 120};
        List<Cell> cells = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                cells.add(cell("stage1", steps[i], steps[j], acc[i][j]));
            }
        }
        return cells;
    }

    @Test
    void tableHasShallowRowsDeepColumnsAndThreeDecimals() {
        String t = GridRenderer.table(List.of(0, 60, 120), threeByThree(), "accuracy");
        assertEquals("""
                shallow\\deep       0      60     120
                           0   0.100   0.300   0.500
                          60   0.110   0.400   0.550
                         120   0.120   0.380   0.600
                """, t);
    }

    @Test
    void missingCellsShowAsDashes() {
        List<Cell> cells = new ArrayList<>(threeByThree());
        cells.removeIf(c -> c.shallowStep() == 0 && c.deepStep() == 120);
        String t = GridRenderer.table(List.of(0, 60, 120), cells, "accuracy");
        assertTrue(t.lines().toList().get(1).endsWith("   0.100   0.300       -"), t);
    }

    @Test
    void tcIsTheMeanRelativeAccuracyOverTheForwardTriangle() {
        TcSummary tc = GridRenderer.tc("stage1", List.of(0, 60, 120), threeByThree(), "accuracy");
        // forward pairs a<b: (0,60) 0.3/0.4, (0,120) 0.5/0.6, (60,120) 0.55/0.6
        double expected = (0.3 / 0.4 + 0.5 / 0.6 + 0.55 / 0.6) / 3;
        assertEquals(expected, tc.mean(), 1e-12);
        assertEquals(3, tc.pairs());
        assertEquals(3, tc.expectedPairs());
        assertEquals(0.75, tc.min(), 1e-12);
        assertEquals(0, tc.minShallow());
        assertEquals(60, tc.minDeep());
        // without the initial checkpoint (step 0) only 60->120 is left
        assertEquals(0.55 / 0.6, tc.meanExcludingInitial(), 1e-12);
        assertEquals(1, tc.pairsExcludingInitial());
        assertEquals(0, tc.chancePairs());
        assertEquals(String.format(java.util.Locale.ROOT, "TC(stage1) = %.3f  mean acc(H[a,b]) / acc(b) over 3 forward "
                + "pairs a<b; lowest 0.750 at 0->60; without step 0: 0.917 over 1", expected),
                GridRenderer.summaryLine(tc));
    }

    /** The grid with the deep donor of column 60 flagged at chance by the splicer (no relative accuracy there). */
    private static List<Cell> chanceAt60() {
        List<Cell> cells = new ArrayList<>();
        for (Cell c : threeByThree()) {
            boolean chance = c.deepStep() == 60;
            Map<String, Double> m = new java.util.HashMap<>(c.metrics());
            if (!chance) {
                m.put("relativeAccuracy", c.metrics().get("accuracy") / (c.deepStep() == 0 ? 0.1 : 0.6));
            }
            cells.add(new Cell(c.cut(), c.evalSet(), c.bnMode(), c.shallowStep(), c.deepStep(), m, chance));
        }
        return cells;
    }

    @Test
    void pairsWhoseDeepDonorIsAtChanceAreShownAsSuchAndLeftOutOfTc() {
        List<Cell> cells = chanceAt60();
        TcSummary tc = GridRenderer.tc("stage1", List.of(0, 60, 120), cells, "accuracy");
        assertEquals(2, tc.pairs());
        assertEquals(1, tc.chancePairs());
        assertEquals((0.5 / 0.6 + 0.55 / 0.6) / 2, tc.mean(), 1e-12);
        assertTrue(GridRenderer.summaryLine(tc).endsWith("; 1 left out (deep donor at chance)"),
                GridRenderer.summaryLine(tc));
        String t = GridRenderer.table(List.of(0, 60, 120), cells, "relativeAccuracy");
        assertEquals("""
                shallow\\deep       0      60     120
                           0   1.000  chance   0.833
                          60   1.100  chance   0.917
                         120   1.200  chance   1.000
                """, t);
        assertTrue(GridRenderer.render(new HybridGrid("r", List.of(0, 60, 120), List.of(), cells), "relativeAccuracy")
                .contains("deep donor at chance (within 2 standard errors of 1/classes) in columns [60]"));
        // every deep donor at chance: no score, and the line says why
        List<Cell> all = chanceAt60().stream().map(c -> new Cell(c.cut(), c.evalSet(), c.bnMode(), c.shallowStep(),
                c.deepStep(), c.metrics(), true)).toList();
        assertEquals("TC(stage1) = n/a  (the deep donor of every forward pair a<b is at chance: 3 left out)",
                GridRenderer.summaryLine(GridRenderer.tc("stage1", List.of(0, 60, 120), all, "accuracy")));
    }

    @Test
    void tcSkipsPairsWithoutValuesAndSaysSo() {
        List<Cell> cells = new ArrayList<>(threeByThree());
        cells.removeIf(c -> c.shallowStep() == 60 && c.deepStep() == 120);
        TcSummary tc = GridRenderer.tc("stage1", List.of(0, 60, 120), cells, "accuracy");
        assertEquals(2, tc.pairs());
        assertTrue(GridRenderer.summaryLine(tc).contains("over 2 of 3 forward pairs"));
        TcSummary none = GridRenderer.tc("stem", List.of(0), List.of(cell("stem", 0, 0, 0.1)), "accuracy");
        assertTrue(Double.isNaN(none.mean()));
        assertTrue(GridRenderer.summaryLine(none).startsWith("TC(stem) = n/a"));
    }

    @Test
    void renderShowsEveryStageCutInNetworkOrderWithItsSummary() {
        List<Cell> cells = new ArrayList<>();
        for (String cut : List.of("stage2", "stem", "stage1")) {
            for (Cell c : threeByThree()) {
                cells.add(new Cell(cut, c.evalSet(), c.bnMode(), c.shallowStep(), c.deepStep(), c.metrics()));
            }
        }
        HybridGrid grid = new HybridGrid("r1", List.of(0, 60, 120), List.of(), cells);
        String out = GridRenderer.render(grid, "accuracy");
        int stem = out.indexOf("cut stem");
        int s1 = out.indexOf("cut stage1");
        int s2 = out.indexOf("cut stage2");
        assertTrue(stem >= 0 && stem < s1 && s1 < s2, out);
        assertTrue(out.contains("cut stem (eval set test, BN deep): accuracy of hybrids; rows = shallow checkpoint step"));
        assertEquals(3, out.lines().filter(l -> l.startsWith("TC(")).count());
        assertEquals("(no hybrid cells)\n", GridRenderer.render(new HybridGrid("r", List.of(), List.of(), List.of()),
                "accuracy"));
    }

    @Test
    void aGridParsesFromTheGatewaysResponse() {
        var resp = Fixtures.hybridsResponse("r1", Fixtures.STEPS, Fixtures.allCells("r1", Fixtures.STEPS, (a, b) -> true));
        HybridGrid g = HybridGrid.fromJson(resp);
        assertEquals("r1", g.runId());
        assertEquals(Fixtures.STEPS, g.checkpoints());
        assertEquals(27, g.cells().size());
        Cell c = g.cells().get(1);
        assertEquals("stem", c.cut());
        assertEquals(0, c.shallowStep());
        assertEquals(60, c.deepStep());
        assertEquals(Fixtures.acc("stem", 0, 60), c.metric("accuracy"), 1e-12);
        assertEquals(List.of(List.of("test", "deep")), List.copyOf(g.groups("stem").keySet()));
    }
}
