package io.splicelab.gateway.claims;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splicelab.gateway.claims.ClaimVerdicts.VariantRuns;
import io.splicelab.gateway.claims.ClaimsReport.Claim;
import io.splicelab.gateway.claims.ClaimsReport.Verdict;
import io.splicelab.gateway.experiments.RunMeasures;
import io.splicelab.gateway.experiments.RunMeasures.Anisotropy;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.RunConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Given numbers, the verdicts: each claim supported, not supported and inconclusive for the right reason. */
class ClaimVerdictsTest {
    private static final RunConfig BASELINE = config("{}");
    private static final RunConfig RANDOM = config("{\"labelNoise\":1}");
    private static final RunConfig FROZEN = config("{\"freezeCut\":\"stage1\",\"freezeStep\":20}");
    private static final Anisotropy REJECTS = new Anisotropy(240, 40.0, 1e-30, 5, 0.7, 0.12, 0.002);
    private static final Anisotropy ISOTROPIC = new Anisotropy(240, 0.3, 0.38, 5, 0.13, 0.12, 0.41);

    private static RunConfig config(String json) {
        try {
            return EventCodec.mapper().readValue(json, RunConfig.class).withDefaults();
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /**
     * Runs of a variant, one per seed 1.., each value array indexed by seed.
     *
     * @param tc temporal consistency (one cut) by evaluation set
     * @param accuracy final accuracy by evaluation set
     */
    private static List<RunMeasures> runs(String variant, Map<String, double[]> tc, Map<String, double[]> accuracy,
            Anisotropy[] noise) {
        int n = (tc.isEmpty() ? accuracy : tc).values().iterator().next().length;
        List<RunMeasures> out = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            int seed = s;
            Map<String, Double> bySet = new LinkedHashMap<>();
            tc.forEach((set, v) -> bySet.put(set, v[seed]));
            Map<String, Double> acc = new LinkedHashMap<>();
            Map<String, Integer> at = new LinkedHashMap<>();
            accuracy.forEach((set, v) -> {
                acc.put(set, v[seed]);
                at.put(set, 240);
            });
            out.add(new RunMeasures("run-" + variant + "-" + (s + 1), variant, s + 1, "COMPLETED", "complete", acc, at,
                    Map.of("stage1", bySet), Map.of("stage1", bySet), noise == null ? null : noise[s], 10));
        }
        return out;
    }

    private static double[] v(double... x) {
        return x;
    }

    private static Map<String, double[]> sets(Object... kv) {
        Map<String, double[]> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (double[]) kv[i + 1]);
        }
        return m;
    }

    private static VariantRuns baseline() {
        return new VariantRuns("baseline", BASELINE, runs("baseline",
                sets("train", v(0.97, 0.96, 0.98), "test", v(0.95, 0.96, 0.94), "fog-3", v(0.93, 0.94, 0.92)),
                sets("train", v(0.90, 0.91, 0.92), "test", v(0.85, 0.86, 0.84), "fog-3", v(0.60, 0.62, 0.61)),
                new Anisotropy[] {REJECTS, REJECTS, REJECTS}));
    }

    private static VariantRuns random() {
        return new VariantRuns("random-labels", RANDOM, runs("random-labels",
                sets("train", v(0.9, 0.9, 0.9), "train-noisy", v(0.50, 0.55, 0.45)),
                sets("train", v(0.10, 0.11, 0.09), "train-noisy", v(0.60, 0.65, 0.70), "test", v(0.1, 0.1, 0.1)),
                null));
    }

    private static VariantRuns frozen() {
        return new VariantRuns("frozen", FROZEN, runs("frozen", sets(),
                sets("test", v(0.78, 0.79, 0.77), "fog-3", v(0.50, 0.52, 0.49)), null));
    }

    private static List<Verdict> verdicts(List<Claim> claims) {
        return claims.stream().map(Claim::verdict).toList();
    }

    @Test
    void everyClaimSupported() {
        List<Claim> claims = ClaimVerdicts.judge(List.of(baseline(), random(), frozen()));
        assertEquals(List.of(1, 2, 3, 4), claims.stream().map(Claim::id).toList());
        assertEquals(List.of(Verdict.SUPPORTED, Verdict.SUPPORTED, Verdict.SUPPORTED, Verdict.SUPPORTED),
                verdicts(claims), claims.toString());
        claims.forEach(c -> assertEquals(List.of(), c.conclusiveIf(), c.toString()));
        @SuppressWarnings("unchecked")
        Map<String, Object> welch = (Map<String, Object>) claims.get(1).numbers().get("welch");
        assertEquals(0.97 - 0.50, (double) welch.get("difference"), 1e-9);
        assertTrue((double) welch.get("pValue") < 0.05);
        String text = ClaimsText.render(new ClaimsReport("exp-0123456789ab", "claims", true, 9, 9, 0.05, claims,
                Instant.EPOCH));
        assertTrue(text.contains("Claim 4: SUPPORTED"), text);
        assertTrue(text.contains("9 of 9 runs settled"), text);
    }

    @Test
    void rolesComeFromTheConfigurationNotTheNames() {
        List<VariantRuns> renamed = List.of(new VariantRuns("c", FROZEN, frozen().runs()),
                new VariantRuns("a", BASELINE, baseline().runs()), new VariantRuns("b", RANDOM, random().runs()));
        assertEquals(List.of(Verdict.SUPPORTED, Verdict.SUPPORTED, Verdict.SUPPORTED, Verdict.SUPPORTED),
                verdicts(ClaimVerdicts.judge(renamed)));
    }

    @Test
    void claim1NotSupportedWhenTcIsLowAndInconclusiveWhenTheBoundsStraddle() {
        VariantRuns low = new VariantRuns("baseline", BASELINE, runs("baseline",
                sets("train", v(0.97, 0.96, 0.98), "test", v(0.60, 0.62, 0.61), "fog-3", v(0.93, 0.94, 0.92)),
                sets("test", v(0.85, 0.86, 0.84)), null));
        assertEquals(Verdict.NOT_SUPPORTED, ClaimVerdicts.claim1(low).verdict());
        VariantRuns wide = new VariantRuns("baseline", BASELINE, runs("baseline",
                sets("train", v(0.97, 0.96, 0.98), "test", v(0.85, 0.99, 0.92), "fog-3", v(0.93, 0.94, 0.92)),
                sets("test", v(0.85, 0.86, 0.84)), null));
        Claim c = ClaimVerdicts.claim1(wide);
        assertEquals(Verdict.INCONCLUSIVE, c.verdict());
        assertTrue(c.conclusiveIf().get(0).startsWith("more seeds: the 95% bounds of test"), c.conclusiveIf().toString());
    }

    @Test
    void claim1NeedsEverySetASeedSpreadAndALearningBaseline() {
        VariantRuns noCorruptions = new VariantRuns("baseline", BASELINE, runs("baseline",
                sets("train", v(0.97, 0.96), "test", v(0.95, 0.96)), sets("test", v(0.85, 0.86)), null));
        Claim c = ClaimVerdicts.claim1(noCorruptions);
        assertEquals(Verdict.INCONCLUSIVE, c.verdict());
        assertTrue(c.conclusiveIf().get(0).contains("corrupted"), c.conclusiveIf().toString());
        VariantRuns oneSeed = new VariantRuns("baseline", BASELINE, runs("baseline",
                sets("train", v(0.97), "test", v(0.95), "fog-3", v(0.93)), sets("test", v(0.85)), null));
        c = ClaimVerdicts.claim1(oneSeed);
        assertEquals(Verdict.INCONCLUSIVE, c.verdict());
        assertTrue(c.conclusiveIf().contains("at least 2 seeds of the baseline (standard errors need them)"));
        VariantRuns chance = new VariantRuns("baseline", BASELINE, runs("baseline",
                sets("train", v(0.97, 0.96), "test", v(0.95, 0.96), "fog-3", v(0.93, 0.92)),
                sets("test", v(0.11, 0.09)), null));
        assertEquals(Verdict.INCONCLUSIVE, ClaimVerdicts.claim1(chance).verdict());
    }

    @Test
    void claim2IsInconclusiveWhenTheRandomLabelsWereNotFitted() {
        VariantRuns unfitted = new VariantRuns("random-labels", RANDOM, runs("random-labels",
                sets("train-noisy", v(0.5, 0.55, 0.45)), sets("train-noisy", v(0.10, 0.12, 0.11)), null));
        Claim c = ClaimVerdicts.claim2(baseline(), unfitted);
        assertEquals(Verdict.INCONCLUSIVE, c.verdict());
        assertTrue(c.conclusiveIf().get(0).contains("until it fits its labels"), c.conclusiveIf().toString());
    }

    @Test
    void claim2NotSupportedWhenTcHoldsUpUnderRandomLabels() {
        VariantRuns steady = new VariantRuns("random-labels", RANDOM, runs("random-labels",
                sets("train-noisy", v(0.97, 0.965, 0.975)), sets("train-noisy", v(0.6, 0.65, 0.7)), null));
        assertEquals(Verdict.NOT_SUPPORTED, ClaimVerdicts.claim2(baseline(), steady).verdict());
        assertEquals(Verdict.INCONCLUSIVE, ClaimVerdicts.claim2(baseline(), null).verdict());
    }

    @Test
    void claim3FromEverySeedsTests() {
        VariantRuns none = new VariantRuns("baseline", BASELINE, runs("baseline", sets("test", v(0.9, 0.9)),
                sets("test", v(0.8, 0.8)), null));
        assertEquals(Verdict.INCONCLUSIVE, ClaimVerdicts.claim3(none).verdict());
        VariantRuns isotropic = new VariantRuns("baseline", BASELINE, runs("baseline", sets("test", v(0.9, 0.9)),
                sets("test", v(0.8, 0.8)), new Anisotropy[] {ISOTROPIC, ISOTROPIC}));
        assertEquals(Verdict.NOT_SUPPORTED, ClaimVerdicts.claim3(isotropic).verdict());
        VariantRuns mixed = new VariantRuns("baseline", BASELINE, runs("baseline", sets("test", v(0.9, 0.9)),
                sets("test", v(0.8, 0.8)), new Anisotropy[] {REJECTS, ISOTROPIC}));
        Claim c = ClaimVerdicts.claim3(mixed);
        assertEquals(Verdict.INCONCLUSIVE, c.verdict());
        assertEquals(0.41, (double) c.numbers().get("largestP"), 1e-12);
        assertEquals(1L, c.numbers().get("rejecting"));
    }

    @Test
    void claim4NotSupportedWhenFreezingCostsNothingAndInconclusiveWhenNoisy() {
        VariantRuns better = new VariantRuns("frozen", FROZEN, runs("frozen", sets(),
                sets("test", v(0.88, 0.89, 0.87), "fog-3", v(0.50, 0.52, 0.49)), null));
        assertEquals(Verdict.NOT_SUPPORTED, ClaimVerdicts.claim4(baseline(), better).verdict());
        VariantRuns noisy = new VariantRuns("frozen", FROZEN, runs("frozen", sets(),
                sets("test", v(0.70, 0.95, 0.80), "fog-3", v(0.50, 0.52, 0.49)), null));
        Claim c = ClaimVerdicts.claim4(baseline(), noisy);
        assertEquals(Verdict.INCONCLUSIVE, c.verdict());
        assertTrue(c.conclusiveIf().get(0).startsWith("more seeds"), c.conclusiveIf().toString());
        assertEquals(20, c.numbers().get("freezeStep"));
    }

    @Test
    void onlySettledCompletedRunsCount() {
        List<RunMeasures> running = baseline().runs().stream().map(r -> new RunMeasures(r.runId(), r.variant(),
                r.seed(), "COMPLETED", "waiting", r.accuracy(), r.accuracyStep(), r.tc(), r.tcWithInitial(),
                r.anisotropy(), r.classes())).toList();
        List<Claim> claims = ClaimVerdicts.judge(List.of(new VariantRuns("baseline", BASELINE, running), random(),
                frozen()));
        assertEquals(List.of(Verdict.INCONCLUSIVE, Verdict.INCONCLUSIVE, Verdict.INCONCLUSIVE, Verdict.INCONCLUSIVE),
                verdicts(claims));
        assertTrue(claims.get(0).conclusiveIf().get(0).contains("baseline"), claims.get(0).toString());
    }
}
