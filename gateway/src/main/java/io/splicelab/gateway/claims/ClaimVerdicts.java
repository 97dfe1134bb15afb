package io.splicelab.gateway.claims;

import io.splicelab.gateway.claims.ClaimsReport.Claim;
import io.splicelab.gateway.claims.ClaimsReport.Verdict;
import io.splicelab.gateway.experiments.ExperimentAggregation;
import io.splicelab.gateway.experiments.RunMeasures;
import io.splicelab.gateway.experiments.Stat;
import io.splicelab.model.events.RunConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Judges the paper's four claims (docs/science.md section 7) on an experiment's runs: given the numbers, the
 * verdicts. Each claim compares figures over seeds, never one run, and says "inconclusive" (with what would settle
 * it) whenever the seeds cannot tell an effect from noise, a variant is missing, or a network stayed at chance, so a
 * verdict is never a guess. Only settled, completed runs count. Pure: no Kafka, no HTTP, no database.
 *
 * <p>The variants play roles by their configuration, not their names: the baseline has no label noise and no
 * freeze, the random-label variant has {@code labelNoise = 1}, the frozen one a {@code freezeCut} and no label noise
 * (the first of each, in the experiment's order).
 */
public final class ClaimVerdicts {
    /** The level of every test. */
    public static final double ALPHA = 0.05;
    /** "High" temporal consistency: hybrids keep 90 % of the accuracy (the splicer's TC threshold). */
    public static final double HIGH_TC = 0.9;
    /** The drop of temporal consistency that counts as a collapse. */
    public static final double TC_COLLAPSE = 0.1;
    /** The accuracy cost (absolute) below which freezing is "free". */
    public static final double ACCURACY_COST = 0.01;
    /** A network "learnt" its labels when its accuracy is at least this many times chance. */
    public static final double ABOVE_CHANCE = 2.0;

    static final String CLAIM1 = "Hybrids of old shallow and new deep parts keep most of the accuracy (high TC) on "
            + "training, test and corrupted data.";
    static final String CLAIM2 = "With random labels, temporal consistency collapses.";
    static final String CLAIM3 = "SGD noise is anisotropic: isotropy is rejected and a few directions carry most of "
            + "the variance.";
    static final String CLAIM4 = "Freezing the shallow layers costs test and corrupted accuracy.";

    private ClaimVerdicts() {
    }

    /** A variant of the experiment: its configuration (any seed's) and its runs. */
    public record VariantRuns(String name, RunConfig config, List<RunMeasures> runs) {
    }

    /** The four claims, in order. */
    public static List<Claim> judge(List<VariantRuns> variants) {
        List<VariantRuns> usable = variants.stream().map(v -> new VariantRuns(v.name(), v.config(), v.runs().stream()
                .filter(r -> "COMPLETED".equals(r.status())
                        && ExperimentAggregation.settled(r.status(), r.gridStatus())).toList())).toList();
        VariantRuns baseline = role(usable, c -> noise(c) == 0 && c.freezeCut() == null);
        VariantRuns random = role(usable, c -> noise(c) >= 1);
        VariantRuns frozen = role(usable, c -> noise(c) == 0 && c.freezeCut() != null);
        return List.of(claim1(baseline), claim2(baseline, random), claim3(baseline), claim4(baseline, frozen));
    }

    // ---------------------------------------------------------------- claim 1

    static Claim claim1(VariantRuns baseline) {
        List<String> todo = new ArrayList<>();
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("threshold", HIGH_TC);
        numbers.put("measure", "temporal consistency without the initial checkpoint (mean relative accuracy of "
                + "forward hybrids whose shallow part is a trained checkpoint), averaged over the cuts, per seed");
        if (baseline == null || baseline.runs().isEmpty()) {
            return missing(1, CLAIM1, numbers, "a baseline variant (labelNoise 0, no freezeCut) with completed runs");
        }
        numbers.put("variant", baseline.name());
        Map<String, Function<RunMeasures, Double>> sets = new LinkedHashMap<>();
        sets.put("train", r -> r.tcOverCuts("train"));
        sets.put("test", r -> r.tcOverCuts("test"));
        sets.put("corrupted", RunMeasures::tcOverCutsCorrupted);
        Map<String, Object> bySet = new LinkedHashMap<>();
        boolean allHigh = true;
        boolean someLow = false;
        boolean unknown = false;
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Function<RunMeasures, Double>> e : sets.entrySet()) {
            Map<Long, Double> perSeed = perSeed(baseline.runs(), e.getValue());
            Stat s = Stat.of(perSeed.values());
            if (s == null) {
                todo.add("evaluate the baseline on " + ("corrupted".equals(e.getKey()) ? "corrupted test sets "
                        + "(evalSets with <corruption>-<severity>)" : "the " + e.getKey() + " set (evalSets)"));
                unknown = true;
                allHigh = false;
                continue;
            }
            Map<String, Object> row = stat(s, perSeed);
            if (s.n() >= 2) {
                double q = Welch.quantile95(s.n());
                double lower = s.mean() - q * s.se();
                double upper = s.mean() + q * s.se();
                row.put("lower95", lower);
                row.put("upper95", upper);
                allHigh &= lower >= HIGH_TC;
                someLow |= upper < HIGH_TC;
                if (lower < HIGH_TC && upper >= HIGH_TC) {
                    todo.add("more seeds: the 95% bounds of " + e.getKey() + " (" + f(lower) + " to " + f(upper)
                            + ") straddle the threshold " + f(HIGH_TC));
                }
            } else {
                allHigh = false;
            }
            parts.add(e.getKey() + " " + pm(s));
            bySet.put(e.getKey(), row);
        }
        numbers.put("bySet", bySet);
        numbers.put("seeds", baseline.runs().size());
        Stat test = Stat.of(perSeed(baseline.runs(), r -> r.accuracy().get("test")).values());
        numbers.put("testAccuracy", test == null ? null : stat(test, perSeed(baseline.runs(), r -> r.accuracy().get("test"))));
        String finding = "baseline TC without the initial checkpoint, mean over cuts and " + baseline.runs().size()
                + " seed(s): " + String.join(", ", parts) + " (high: at least " + f(HIGH_TC) + ")";
        Verdict verdict;
        if (chance(test, baseline)) {
            todo.add("a baseline that learns: its test accuracy " + pm(test) + " is near chance ("
                    + f(1.0 / classes(baseline)) + "); train longer");
            verdict = Verdict.INCONCLUSIVE;
        } else if (someLow) {
            verdict = Verdict.NOT_SUPPORTED;
            todo.clear();
        } else if (baseline.runs().size() < 2) {
            todo.add("at least 2 seeds of the baseline (standard errors need them)");
            verdict = Verdict.INCONCLUSIVE;
        } else if (allHigh && !unknown) {
            verdict = Verdict.SUPPORTED;
            todo.clear();
        } else {
            verdict = Verdict.INCONCLUSIVE;
        }
        return new Claim(1, CLAIM1, verdict, finding, numbers, List.copyOf(todo));
    }

    // ---------------------------------------------------------------- claim 2

    static Claim claim2(VariantRuns baseline, VariantRuns random) {
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("minimumDrop", TC_COLLAPSE);
        numbers.put("measure", "temporal consistency without the initial checkpoint, mean over cuts: the "
                + "random-label runs on the labels they trained on (train-noisy), the baseline on train");
        if (baseline == null || baseline.runs().isEmpty()) {
            return missing(2, CLAIM2, numbers, "a baseline variant (labelNoise 0, no freezeCut) with completed runs");
        }
        if (random == null || random.runs().isEmpty()) {
            return missing(2, CLAIM2, numbers, "a random-label variant (labelNoise 1) with completed runs");
        }
        numbers.put("variants", List.of(baseline.name(), random.name()));
        Map<Long, Double> base = perSeed(baseline.runs(), r -> r.tcOverCuts("train"));
        Map<Long, Double> rand = perSeed(random.runs(), r -> r.tcOverCuts("train-noisy"));
        Map<Long, Double> fit = perSeed(random.runs(), r -> r.accuracy().get("train-noisy"));
        Stat sb = Stat.of(base.values());
        Stat sr = Stat.of(rand.values());
        Stat sf = Stat.of(fit.values());
        numbers.put("baselineTc", sb == null ? null : stat(sb, base));
        numbers.put("randomLabelTc", sr == null ? null : stat(sr, rand));
        numbers.put("randomLabelFit", sf == null ? null : stat(sf, fit));
        List<String> todo = new ArrayList<>();
        if (sb == null) {
            todo.add("evaluate the baseline on the train set (evalSets train)");
        }
        if (sr == null || sf == null) {
            todo.add("evaluate the random-label runs on the labels they trained on (evalSets train, which brings "
                    + "train-noisy)");
        }
        if (!todo.isEmpty()) {
            return new Claim(2, CLAIM2, Verdict.INCONCLUSIVE, "the temporal consistency to compare is missing",
                    numbers, todo);
        }
        double chance = 1.0 / classes(random);
        numbers.put("chance", chance);
        if (sf.mean() < ABOVE_CHANCE * chance) {
            return new Claim(2, CLAIM2, Verdict.INCONCLUSIVE, "the random-label networks did not fit their labels ("
                    + "train-noisy accuracy " + pm(sf) + ", chance " + f(chance) + "): relative accuracy of a network "
                    + "that predicts nothing says nothing", numbers, List.of("train the random-label variant until it "
                    + "fits its labels (train-noisy accuracy at least " + f(ABOVE_CHANCE * chance) + "): more steps, "
                    + "fewer training examples (trainSize)"));
        }
        if (sb.n() < 2 || sr.n() < 2) {
            return new Claim(2, CLAIM2, Verdict.INCONCLUSIVE, "baseline TC " + pm(sb) + " vs random labels " + pm(sr),
                    numbers, List.of("at least 2 seeds of each variant"));
        }
        Welch w = Welch.test(values(base), values(rand));
        numbers.put("welch", welch(w));
        String finding = "TC drops from " + pm(sb) + " (baseline, train) to " + pm(sr) + " (random labels, train-noisy):"
                + " drop " + f(w.diff()) + ", 95% CI " + f(w.low()) + " to " + f(w.high()) + ", Welch one-sided p = "
                + p(w.p());
        if (w.diff() >= TC_COLLAPSE && w.p() < ALPHA) {
            return new Claim(2, CLAIM2, Verdict.SUPPORTED, finding, numbers, List.of());
        }
        if (w.high() < TC_COLLAPSE) {
            return new Claim(2, CLAIM2, Verdict.NOT_SUPPORTED, finding, numbers, List.of());
        }
        return new Claim(2, CLAIM2, Verdict.INCONCLUSIVE, finding, numbers, List.of("more seeds: the 95% interval of "
                + "the drop holds both no collapse and a collapse of " + f(TC_COLLAPSE)));
    }

    // ---------------------------------------------------------------- claim 3

    static Claim claim3(VariantRuns baseline) {
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("alpha", ALPHA);
        numbers.put("rule", "a seed rejects isotropy when the Ledoit-Wolf test and the Monte Carlo null of the top-k "
                + "variance share are both below alpha and the share is above the null's; supported when every seed "
                + "rejects (intersection-union: the largest p-value is below alpha)");
        if (baseline == null || baseline.runs().isEmpty()) {
            return missing(3, CLAIM3, numbers, "a baseline variant (labelNoise 0, no freezeCut) with completed runs");
        }
        numbers.put("variant", baseline.name());
        List<RunMeasures> sampled = baseline.runs().stream().filter(r -> r.anisotropy() != null).toList();
        if (sampled.isEmpty()) {
            return new Claim(3, CLAIM3, Verdict.INCONCLUSIVE, "no noise sample of the baseline was analysed", numbers,
                    List.of("sample SGD noise in the baseline (noiseSteps, e.g. its last checkpoint step) with the "
                            + "stats service running"));
        }
        Map<Long, Double> z = perSeed(sampled, r -> r.anisotropy().ledoitWolfZ());
        Map<Long, Double> lwP = perSeed(sampled, r -> r.anisotropy().ledoitWolfP());
        Map<Long, Double> mcP = perSeed(sampled, r -> r.anisotropy().monteCarloP());
        Map<Long, Double> share = perSeed(sampled, r -> r.anisotropy().topKShare());
        Map<Long, Double> nullShare = perSeed(sampled, r -> r.anisotropy().nullTopKShare());
        int k = sampled.get(0).anisotropy().k();
        long rejecting = sampled.stream().filter(r -> rejects(r.anisotropy())).count();
        double maxP = sampled.stream().mapToDouble(r -> Math.max(r.anisotropy().ledoitWolfP(),
                r.anisotropy().monteCarloP())).max().orElse(Double.NaN);
        numbers.put("seeds", sampled.size());
        numbers.put("rejecting", rejecting);
        numbers.put("ledoitWolfZ", stat(Stat.of(z.values()), z));
        numbers.put("ledoitWolfP", lwP);
        numbers.put("monteCarloP", mcP);
        numbers.put("largestP", maxP);
        numbers.put("k", k);
        numbers.put("topKShare", stat(Stat.of(share.values()), share));
        numbers.put("nullTopKShare", stat(Stat.of(nullShare.values()), nullShare));
        String finding = "isotropy rejected in " + rejecting + " of " + sampled.size() + " baseline seed(s): Ledoit-Wolf "
                + "z " + pm(Stat.of(z.values())) + ", largest p = " + p(maxP) + "; the top " + k + " directions carry "
                + pm(Stat.of(share.values())) + " of the noise variance (isotropic null " + pm(Stat.of(nullShare.values()))
                + ")";
        if (rejecting == sampled.size() && sampled.size() >= 2) {
            return new Claim(3, CLAIM3, Verdict.SUPPORTED, finding, numbers, List.of());
        }
        if (rejecting == 0 && sampled.size() >= 2) {
            return new Claim(3, CLAIM3, Verdict.NOT_SUPPORTED, finding, numbers, List.of());
        }
        return new Claim(3, CLAIM3, Verdict.INCONCLUSIVE, finding, numbers, List.of(sampled.size() < 2
                ? "noise samples of at least 2 baseline seeds"
                : "more seeds or more noise minibatches (noiseMinibatches): the seeds disagree"));
    }

    private static boolean rejects(RunMeasures.Anisotropy a) {
        return a.ledoitWolfP() < ALPHA && a.monteCarloP() < ALPHA && a.topKShare() > a.nullTopKShare();
    }

    // ---------------------------------------------------------------- claim 4

    static Claim claim4(VariantRuns baseline, VariantRuns frozen) {
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("minimumCost", ACCURACY_COST);
        numbers.put("measure", "final accuracy (latest checkpoint) on the test subset and averaged over the corrupted "
                + "sets, per seed; cost = baseline - frozen");
        if (baseline == null || baseline.runs().isEmpty()) {
            return missing(4, CLAIM4, numbers, "a baseline variant (labelNoise 0, no freezeCut) with completed runs");
        }
        if (frozen == null || frozen.runs().isEmpty()) {
            return missing(4, CLAIM4, numbers, "a frozen variant (freezeCut, freezeStep, labelNoise 0) with completed "
                    + "runs");
        }
        numbers.put("variants", List.of(baseline.name(), frozen.name()));
        numbers.put("freezeCut", frozen.config().freezeCut());
        numbers.put("freezeStep", frozen.config().freezeStep());
        List<String> todo = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        boolean allCost = true;
        boolean someFree = false;
        Stat baseTest = Stat.of(perSeed(baseline.runs(), r -> r.accuracy().get("test")).values());
        for (String which : List.of("test", "corrupted")) {
            Function<RunMeasures, Double> figure = "test".equals(which) ? r -> r.accuracy().get("test")
                    : RunMeasures::corruptedAccuracy;
            Map<Long, Double> b = perSeed(baseline.runs(), figure);
            Map<Long, Double> fr = perSeed(frozen.runs(), figure);
            Stat sb = Stat.of(b.values());
            Stat sf = Stat.of(fr.values());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("baseline", sb == null ? null : stat(sb, b));
            row.put("frozen", sf == null ? null : stat(sf, fr));
            numbers.put(which, row);
            if (sb == null || sf == null) {
                todo.add("test".equals(which) ? "evaluate both variants on the test set"
                        : "evaluate both variants on corrupted test sets (evalSets with <corruption>-<severity>)");
                allCost = false;
                continue;
            }
            if (sb.n() < 2 || sf.n() < 2) {
                todo.add("at least 2 seeds of each variant");
                allCost = false;
                parts.add(which + " " + pm(sb) + " vs frozen " + pm(sf));
                continue;
            }
            Welch w = Welch.test(values(b), values(fr));
            row.put("welch", welch(w));
            parts.add(which + " " + pm(sb) + " vs frozen " + pm(sf) + " (cost " + f(w.diff()) + ", 95% CI " + f(w.low())
                    + " to " + f(w.high()) + ", p = " + p(w.p()) + ")");
            boolean costs = w.diff() > 0 && w.p() < ALPHA;
            allCost &= costs;
            someFree |= w.high() < ACCURACY_COST;
            if (!costs && w.high() >= ACCURACY_COST) {
                todo.add("more seeds: the 95% interval of the " + which + " cost holds both no cost and a cost of "
                        + f(ACCURACY_COST));
            }
        }
        String finding = "final accuracy, baseline vs frozen: " + String.join("; ", parts);
        if (chance(baseTest, baseline)) {
            return new Claim(4, CLAIM4, Verdict.INCONCLUSIVE, finding, numbers, List.of("a baseline that learns: its "
                    + "test accuracy is near chance; train longer"));
        }
        if (someFree) {
            return new Claim(4, CLAIM4, Verdict.NOT_SUPPORTED, finding, numbers, List.of());
        }
        if (allCost && todo.isEmpty()) {
            return new Claim(4, CLAIM4, Verdict.SUPPORTED, finding, numbers, List.of());
        }
        return new Claim(4, CLAIM4, Verdict.INCONCLUSIVE, finding, numbers, List.copyOf(todo));
    }

    // ---------------------------------------------------------------- helpers

    private static Claim missing(int id, String claim, Map<String, Object> numbers, String need) {
        return new Claim(id, claim, Verdict.INCONCLUSIVE, "the experiment has no " + need.replaceFirst("^an? ", "")
                .replaceFirst(" with completed runs$", "") + " with completed runs yet", numbers, List.of(need));
    }

    private static VariantRuns role(List<VariantRuns> variants, java.util.function.Predicate<RunConfig> plays) {
        return variants.stream().filter(v -> v.config() != null && plays.test(v.config())).findFirst().orElse(null);
    }

    private static double noise(RunConfig c) {
        return c.labelNoise() == null ? 0 : c.labelNoise();
    }

    private static int classes(VariantRuns v) {
        return v.runs().stream().mapToInt(RunMeasures::classes).filter(c -> c > 0).findFirst().orElse(10);
    }

    /** Whether the variant's mean test accuracy is within {@link #ABOVE_CHANCE} times chance (not learnt). */
    private static boolean chance(Stat testAccuracy, VariantRuns v) {
        return testAccuracy != null && testAccuracy.mean() < ABOVE_CHANCE / classes(v);
    }

    /** The figure per seed (in the runs' order), runs without it left out. */
    static Map<Long, Double> perSeed(List<RunMeasures> runs, Function<RunMeasures, Double> figure) {
        Map<Long, Double> out = new LinkedHashMap<>();
        for (RunMeasures r : runs) {
            Double v = figure.apply(r);
            if (v != null && !v.isNaN()) {
                out.put(r.seed(), v);
            }
        }
        return out;
    }

    private static double[] values(Map<Long, Double> perSeed) {
        return perSeed.values().stream().filter(Objects::nonNull).mapToDouble(Double::doubleValue).toArray();
    }

    private static Map<String, Object> stat(Stat s, Map<Long, Double> perSeed) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", s == null ? 0 : s.n());
        m.put("mean", s == null ? null : s.mean());
        m.put("sd", s == null ? null : s.sd());
        m.put("se", s == null ? null : s.se());
        Map<String, Double> seeds = new LinkedHashMap<>();
        perSeed.forEach((seed, v) -> seeds.put(Long.toString(seed), v));
        m.put("perSeed", seeds);
        return m;
    }

    private static Map<String, Object> welch(Welch w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("test", "Welch's t-test, one-sided, unequal variances");
        m.put("difference", w.diff());
        m.put("se", w.se());
        m.put("df", Double.isNaN(w.df()) ? null : w.df());
        m.put("t", Double.isFinite(w.t()) ? w.t() : null);
        m.put("pValue", w.p());
        m.put("ci95", List.of(w.low(), w.high()));
        return m;
    }

    static String pm(Stat s) {
        if (s == null) {
            return "n/a";
        }
        return s.se() == null ? f(s.mean()) + " (1 seed)" : f(s.mean()) + " +- " + f(s.se()) + " (n=" + s.n() + ")";
    }

    static String f(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    static String p(double v) {
        return v < 0.001 ? String.format(Locale.ROOT, "%.1e", v) : String.format(Locale.ROOT, "%.3f", v);
    }
}
