package io.splicelab.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.splicelab.model.events.Architectures;
import io.splicelab.model.values.Metric;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The hybrid cells of one run, as the gateway's {@code GET /api/runs/{id}/hybrids} returns them (or as collected
 * from {@code hybrid.evaluated} events): cell (cut, evalSet, bnMode, shallowStep, deepStep) with its metrics.
 */
public record HybridGrid(String runId, List<Integer> checkpoints, List<String> cuts, List<Cell> cells) {

    /** The three stage cuts the demo's grid covers, in network order (the contract's). */
    public static final List<String> STAGE_CUTS = Architectures.STAGE_CUTS;

    /** One cell: the shallow part up to {@code cut} from {@code shallowStep}, the rest from {@code deepStep}. */
    /**
     * One cell of the grid.
     *
     * @param deepDonorAtChance true when the splicer found the deep donor's accuracy within two standard errors of
     *     chance (the cell then has no relative accuracy); null for cells from before the rule
     */
    public record Cell(String cut, String evalSet, String bnMode, int shallowStep, int deepStep,
            Map<String, Double> metrics, Boolean deepDonorAtChance) {

        /** A cell without the chance flag. */
        public Cell(String cut, String evalSet, String bnMode, int shallowStep, int deepStep,
                Map<String, Double> metrics) {
            this(cut, evalSet, bnMode, shallowStep, deepStep, metrics, null);
        }

        public Double metric(String name) {
            return metrics == null ? null : metrics.get(name);
        }
    }

    public HybridGrid {
        checkpoints = List.copyOf(checkpoints);
        cuts = List.copyOf(cuts);
        cells = List.copyOf(cells);
    }

    /** Parses the gateway's hybrids response; lenient about missing fields. */
    public static HybridGrid fromJson(JsonNode root) {
        List<Integer> checkpoints = new ArrayList<>();
        root.path("checkpoints").forEach(n -> checkpoints.add(n.isObject() ? n.path("step").asInt() : n.asInt()));
        List<String> cuts = new ArrayList<>();
        root.path("cuts").forEach(n -> cuts.add(n.isObject() ? n.path("name").asText() : n.asText()));
        List<Cell> cells = new ArrayList<>();
        root.path("cells").forEach(n -> cells.add(cellFromJson(n)));
        return new HybridGrid(root.path("runId").asText(null), checkpoints, cuts, cells);
    }

    /** A cell from a hybrids-response cell or a {@code hybrid.evaluated} payload (same field names). */
    public static Cell cellFromJson(JsonNode n) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        JsonNode m = n.path("metrics");
        for (Map.Entry<String, JsonNode> e : m.properties()) {
            if (e.getValue().isNumber()) {
                metrics.put(e.getKey(), e.getValue().asDouble());
            }
        }
        if (!n.path("value").isMissingNode() && n.path("value").isNumber() && metrics.isEmpty()) {
            metrics.put(n.path("metric").asText(Metric.ACCURACY.wire()), n.path("value").asDouble());
        }
        JsonNode chance = n.get("deepDonorAtChance");
        return new Cell(n.path("cut").asText(), textOrNull(n, "evalSet"), textOrNull(n, "bnMode"),
                n.path("shallowStep").asInt(), n.path("deepStep").asInt(), metrics,
                chance == null || !chance.isBoolean() ? null : chance.asBoolean());
    }

    private static String textOrNull(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** The cuts to show: the stage cuts first (in network order), then any other the run has. */
    public List<String> orderedCuts() {
        Set<String> present = new LinkedHashSet<>(cuts);
        cells.forEach(c -> present.add(c.cut()));
        List<String> out = new ArrayList<>();
        STAGE_CUTS.stream().filter(present::contains).forEach(out::add);
        present.stream().filter(c -> !STAGE_CUTS.contains(c)).forEach(out::add);
        return out;
    }

    /** Every checkpoint step named by the response or by a cell, ascending. */
    public List<Integer> steps() {
        TreeSet<Integer> s = new TreeSet<>(checkpoints);
        cells.forEach(c -> {
            s.add(c.shallowStep());
            s.add(c.deepStep());
        });
        return new ArrayList<>(s);
    }

    /** The cells of one cut, grouped by (evalSet, bnMode) in first-seen order. */
    public Map<List<String>, List<Cell>> groups(String cut) {
        Map<List<String>, List<Cell>> out = new LinkedHashMap<>();
        for (Cell c : cells) {
            if (c.cut().equals(cut)) {
                out.computeIfAbsent(java.util.Arrays.asList(c.evalSet(), c.bnMode()), k -> new ArrayList<>()).add(c);
            }
        }
        return out;
    }

    /** A grid of the given cells: the same run and checkpoints, other cells. */
    public HybridGrid withCells(List<Cell> newCells) {
        return new HybridGrid(runId, checkpoints, cuts, newCells);
    }
}
