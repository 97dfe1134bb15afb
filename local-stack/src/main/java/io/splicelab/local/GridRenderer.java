package io.splicelab.local;

import io.splicelab.local.HybridGrid.Cell;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The temporal-consistency grid of a cut as a text table (rows: the checkpoint the shallow part comes from,
 * columns: the checkpoint the deep part comes from; the diagonal is each checkpoint on its own) and its one-line
 * summary. Pure functions.
 */
public final class GridRenderer {
    private static final String RELATIVE_ACCURACY = "relativeAccuracy";

    private GridRenderer() {
    }

    /** The step of the initial checkpoint, the random initialisation. */
    public static final int INITIAL_STEP = 0;

    /**
     * Temporal consistency of a cut (docs/science.md section 2): the mean, over the forward triangle (shallow step a
     * &lt; deep step b), of acc(H[a,b]) / acc(H[b,b]), the hybrid's accuracy relative to its deep donor alone; pairs
     * whose deep donor the splicer flagged as at chance are left out ({@code chancePairs}).
     *
     * {@code pairs} counts the (a, b) pairs that had both values ({@code mean} is NaN when none);
     * {@code minShallow -> minDeep} is the pair with the lowest relative accuracy {@code min};
     * {@code meanExcludingInitial} over {@code pairsExcludingInitial} is the same without the pairs whose shallow
     * part is the initial checkpoint (step 0; NaN when none).
     */
    public record TcSummary(String cut, double mean, double min, int minShallow, int minDeep, int pairs,
            int expectedPairs, double meanExcludingInitial, int pairsExcludingInitial, int chancePairs) {
    }

    /** Every cut of the grid: a table per (evalSet, bnMode) and the TC line, then nothing else. */
    public static String render(HybridGrid grid, String metric) {
        StringBuilder b = new StringBuilder();
        List<String> cuts = grid.orderedCuts();
        if (cuts.isEmpty()) {
            return "(no hybrid cells)\n";
        }
        for (String cut : cuts) {
            Map<List<String>, List<Cell>> groups = grid.groups(cut);
            if (groups.isEmpty()) {
                b.append("cut ").append(cut).append(": no cells\n\n");
                continue;
            }
            for (Map.Entry<List<String>, List<Cell>> g : groups.entrySet()) {
                String evalSet = g.getKey().get(0);
                String bnMode = g.getKey().get(1);
                b.append(title(cut, evalSet, bnMode, metric)).append('\n');
                b.append(table(grid.steps(), g.getValue(), metric));
                String chance = chanceNote(g.getValue());
                if (!chance.isEmpty()) {
                    b.append(chance).append('\n');
                }
                b.append(summaryLine(tc(cut, grid.steps(), g.getValue(), metric))).append("\n\n");
            }
        }
        return b.toString();
    }

    static String title(String cut, String evalSet, String bnMode, String metric) {
        StringBuilder b = new StringBuilder("cut ").append(cut);
        List<String> extra = new ArrayList<>();
        if (evalSet != null) {
            extra.add("eval set " + evalSet);
        }
        if (bnMode != null) {
            extra.add("BN " + bnMode);
        }
        if (!extra.isEmpty()) {
            b.append(" (").append(String.join(", ", extra)).append(')');
        }
        return b.append(": ").append(metric).append(" of hybrids; rows = shallow checkpoint step, columns = deep ")
                .append("checkpoint step, diagonal = the checkpoint alone").toString();
    }

    /**
     * The table: a header of deep steps, a row per shallow step, {@code -} where a cell is missing; with metric
     * {@code relativeAccuracy}, {@code chance} where the deep donor is at chance (no relative accuracy: chance over
     * chance would read as a perfect 1).
     */
    public static String table(List<Integer> steps, List<Cell> cells, String metric) {
        Map<Long, Double> v = values(cells, metric);
        Set<Long> chance = atChance(cells);
        boolean relative = RELATIVE_ACCURACY.equals(metric);
        String corner = "shallow\\deep";
        int first = corner.length();
        for (int s : steps) {
            first = Math.max(first, String.valueOf(s).length());
        }
        int w = 6;
        for (int s : steps) {
            w = Math.max(w, String.valueOf(s).length());
        }
        StringBuilder b = new StringBuilder();
        b.append(pad(corner, first));
        for (int d : steps) {
            b.append("  ").append(pad(String.valueOf(d), w));
        }
        b.append('\n');
        for (int sh : steps) {
            b.append(pad(String.valueOf(sh), first));
            for (int d : steps) {
                Double x = v.get(key(sh, d));
                String text = relative && chance.contains(key(sh, d)) ? "chance"
                        : x == null || x.isNaN() ? "-" : String.format(Locale.ROOT, "%.3f", x);
                b.append("  ").append(pad(text, w));
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** The TC summary of one cut's cells. */
    public static TcSummary tc(String cut, List<Integer> steps, List<Cell> cells, String metric) {
        Map<Long, Double> v = values(cells, metric);
        Set<Long> chance = atChance(cells);
        double sum = 0;
        int n = 0;
        double sumLater = 0;
        int nLater = 0;
        int atChance = 0;
        int expected = 0;
        double min = Double.NaN;
        int minA = -1;
        int minB = -1;
        for (int i = 0; i < steps.size(); i++) {
            for (int j = i + 1; j < steps.size(); j++) {
                int a = steps.get(i);
                int bStep = steps.get(j);
                expected++;
                Double h = v.get(key(a, bStep));
                Double diag = v.get(key(bStep, bStep));
                if (h == null || diag == null || h.isNaN() || diag.isNaN() || diag <= 0) {
                    continue;
                }
                if (chance.contains(key(a, bStep)) || chance.contains(key(bStep, bStep))) {
                    atChance++;
                    continue;
                }
                double r = h / diag;
                sum += r;
                n++;
                if (a != INITIAL_STEP) {
                    sumLater += r;
                    nLater++;
                }
                if (Double.isNaN(min) || r < min) {
                    min = r;
                    minA = a;
                    minB = bStep;
                }
            }
        }
        return new TcSummary(cut, n == 0 ? Double.NaN : sum / n, min, minA, minB, n, expected,
                nLater == 0 ? Double.NaN : sumLater / nLater, nLater, atChance);
    }

    /** Which deep steps are at chance, as a line under the table; "" when none is. */
    static String chanceNote(List<Cell> cells) {
        Set<Integer> deep = new TreeSet<>();
        for (Cell c : cells) {
            if (Boolean.TRUE.equals(c.deepDonorAtChance())) {
                deep.add(c.deepStep());
            }
        }
        return deep.isEmpty() ? "" : "deep donor at chance (within 2 standard errors of 1/classes) in columns " + deep
                + ": no relative accuracy there, left out of TC";
    }

    /** {@code TC(stage1) = 0.874  mean acc(H[a,b]) / acc(b) over 10 forward pairs a<b; lowest 0.612 at 0->240}. */
    public static String summaryLine(TcSummary t) {
        if (t.pairs() == 0) {
            return t.chancePairs() > 0
                    ? String.format(Locale.ROOT, "TC(%s) = n/a  (the deep donor of every forward pair a<b is at chance:"
                            + " %d left out)", t.cut(), t.chancePairs())
                    : String.format(Locale.ROOT, "TC(%s) = n/a  (no forward pair a<b with both values yet)", t.cut());
        }
        String partial = t.pairs() < t.expectedPairs() ? " of " + t.expectedPairs() : "";
        String line = String.format(Locale.ROOT,
                "TC(%s) = %.3f  mean acc(H[a,b]) / acc(b) over %d%s forward pairs a<b; lowest %.3f at %d->%d",
                t.cut(), t.mean(), t.pairs(), partial, t.min(), t.minShallow(), t.minDeep());
        if (t.pairsExcludingInitial() < t.pairs()) {
            line += t.pairsExcludingInitial() == 0 ? "; without step 0: n/a (no pair)"
                    : String.format(Locale.ROOT, "; without step 0: %.3f over %d", t.meanExcludingInitial(),
                            t.pairsExcludingInitial());
        }
        if (t.chancePairs() > 0) {
            line += String.format(Locale.ROOT, "; %d left out (deep donor at chance)", t.chancePairs());
        }
        return line;
    }

    private static Set<Long> atChance(List<Cell> cells) {
        Set<Long> out = new HashSet<>();
        for (Cell c : cells) {
            if (Boolean.TRUE.equals(c.deepDonorAtChance())) {
                out.add(key(c.shallowStep(), c.deepStep()));
            }
        }
        return out;
    }

    private static Map<Long, Double> values(List<Cell> cells, String metric) {
        Map<Long, Double> v = new HashMap<>();
        for (Cell c : cells) {
            Double x = c.metric(metric);
            if (x != null) {
                v.put(key(c.shallowStep(), c.deepStep()), x);
            }
        }
        return v;
    }

    private static long key(int shallow, int deep) {
        return ((long) shallow << 32) | (deep & 0xffffffffL);
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }
}
