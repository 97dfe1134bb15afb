package io.splicelab.gateway.hybrids;

import io.splicelab.edge.problem.ProblemException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The hybrid grid of a run as the API shows it: the checkpoint and cut axes, and the cells filtered by
 * cut, evaluation set and BatchNorm mode, optionally reduced to one metric. Pure, so the filtering rules
 * are unit-tested without a database.
 */
public final class HybridGrid {
    private HybridGrid() {
    }

    /**
     * One cell: the shallow part up to {@code cut} from {@code shallowStep}, the rest from {@code deepStep}.
     *
     * @param evalSubset which images of the split it was evaluated on, e.g. {@code first size=500} (null for cells
     *     computed before it was recorded)
     * @param deepDonorAtChance true when the deep donor's accuracy is within two standard errors of chance: the cell
     *     has no {@code relativeAccuracy} and is outside the TC means (docs/science.md section 2); null for cells
     *     computed before the rule
     */
    public record Cell(String cut, String evalSet, String bnMode, String precision, int shallowStep, int deepStep,
            int samples, Map<String, Double> metrics, String evalSubset, Boolean deepDonorAtChance) {
        /** A cell without its evaluation subset. */
        public Cell(String cut, String evalSet, String bnMode, String precision, int shallowStep, int deepStep,
                int samples, Map<String, Double> metrics) {
            this(cut, evalSet, bnMode, precision, shallowStep, deepStep, samples, metrics, null, null);
        }

        /** A cell without the chance flag. */
        public Cell(String cut, String evalSet, String bnMode, String precision, int shallowStep, int deepStep,
                int samples, Map<String, Double> metrics, String evalSubset) {
            this(cut, evalSet, bnMode, precision, shallowStep, deepStep, samples, metrics, evalSubset, null);
        }
    }

    /** The filters of a grid request; null means "any". */
    public record Query(String cut, String metric, String evalSet, String bnMode) {
    }

    /**
     * @param runId the run
     * @param checkpoints every checkpoint step known for the run (from checkpoints and from cells), ascending
     * @param cuts every cut of the run, in the order they first appeared
     * @param cells the cells that pass the filters, by cut order, then shallow step, then deep step
     */
    public record View(String runId, List<Integer> checkpoints, List<String> cuts, List<Cell> cells) {
    }

    /**
     * Builds the view.
     *
     * @param cells the run's cells in the order they first appeared
     * @throws ProblemException 400 naming {@code cut} or {@code metric} when the run has cells but none with
     *         that cut or metric
     */
    public static View build(String runId, List<Integer> checkpointSteps, List<Cell> cells, Query query) {
        List<String> cuts = new ArrayList<>(new LinkedHashSet<>(cells.stream().map(Cell::cut).toList()));
        Set<Integer> steps = new TreeSet<>(checkpointSteps);
        Set<String> metrics = new TreeSet<>();
        for (Cell c : cells) {
            steps.add(c.shallowStep());
            steps.add(c.deepStep());
            metrics.addAll(c.metrics().keySet());
        }
        if (!cells.isEmpty()) {
            if (!blank(query.cut()) && !cuts.contains(query.cut())) {
                throw ProblemException.invalidParameter("cut", "unknown cut '" + query.cut() + "'; known: " + cuts);
            }
            if (!blank(query.metric()) && !metrics.contains(query.metric())) {
                throw ProblemException.invalidParameter("metric",
                        "unknown metric '" + query.metric() + "'; known: " + metrics);
            }
        }
        Comparator<Cell> order = Comparator.<Cell>comparingInt(c -> cuts.indexOf(c.cut()))
                .thenComparingInt(Cell::shallowStep).thenComparingInt(Cell::deepStep)
                .thenComparing(Cell::evalSet).thenComparing(Cell::bnMode);
        List<Cell> selected = cells.stream()
                .filter(c -> matches(query.cut(), c.cut()) && matches(query.evalSet(), c.evalSet())
                        && matches(query.bnMode(), c.bnMode()))
                .sorted(order)
                .map(c -> blank(query.metric()) ? c : withOnly(c, query.metric()))
                .toList();
        return new View(runId, List.copyOf(steps), cuts, selected);
    }

    private static Cell withOnly(Cell c, String metric) {
        Map<String, Double> only = new TreeMap<>();
        if (c.metrics().containsKey(metric)) {
            only.put(metric, c.metrics().get(metric));
        }
        return new Cell(c.cut(), c.evalSet(), c.bnMode(), c.precision(), c.shallowStep(), c.deepStep(), c.samples(),
                only, c.evalSubset(), c.deepDonorAtChance());
    }

    private static boolean matches(String filter, String value) {
        return blank(filter) || filter.equals(value);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
