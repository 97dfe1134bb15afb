package io.splicelab.splicer.splicing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Temporal consistency with and without the initial checkpoint, lags in checkpoints and steps, the chance rule. */
class TcSummaryTest {
    /** Checkpoints at steps 0, 100, 300, 600: lags in steps differ from lags in checkpoints. */
    static final List<Integer> STEPS = List.of(0, 100, 300, 600);

    /** Pairs from step 0 score low (untrained shallow features), later pairs high. */
    static Map<List<Integer>, Double> relative() {
        Map<List<Integer>, Double> rel = new LinkedHashMap<>();
        rel.put(List.of(0, 100), 0.2);
        rel.put(List.of(0, 300), 0.3);
        rel.put(List.of(0, 600), 0.4);
        rel.put(List.of(100, 300), 0.96);
        rel.put(List.of(100, 600), 0.92);
        rel.put(List.of(300, 600), 0.98);
        rel.put(List.of(600, 0), 0.01); // backward: in no mean
        return rel;
    }

    @Test
    void theInitialCheckpointIsInOneVariantAndNotTheOther() {
        TcSummary s = TcSummary.of("stem", "test", "carry", STEPS, relative(), 0.9);
        assertEquals(0, s.initialStep());
        assertEquals((0.2 + 0.3 + 0.4 + 0.96 + 0.92 + 0.98) / 6, s.all().tc(), 1e-12);
        assertEquals(6, s.all().pairs());
        assertEquals((0.96 + 0.92 + 0.98) / 3, s.excludingInitial().tc(), 1e-12);
        assertEquals(3, s.excludingInitial().pairs());
        // the fields the summary always had are the variant over every checkpoint, lag in checkpoints
        assertEquals(s.all().tc(), s.tcScore());
        assertEquals(s.all().curveByCheckpoints(), s.curve());
        assertEquals(s.all().dropLag(), s.dropLag());
        assertEquals(0.9, s.threshold());
        assertEquals(0, s.chancePairs());
    }

    @Test
    void theCurveIsByLagInCheckpointsAndInSteps() {
        TcSummary s = TcSummary.of("stem", "test", "carry", STEPS, relative(), 0.9);
        assertEquals(List.of("1", "2", "3"), List.copyOf(s.all().curveByCheckpoints().keySet()));
        assertEquals((0.2 + 0.96 + 0.98) / 3, s.all().curveByCheckpoints().get("1"), 1e-12);
        assertEquals((0.3 + 0.92) / 2, s.all().curveByCheckpoints().get("2"), 1e-12);
        assertEquals(0.4, s.all().curveByCheckpoints().get("3"), 1e-12);
        // step lags: 0->100 100; 0->300 300; 0->600 600; 100->300 200; 100->600 500; 300->600 300
        assertEquals(List.of("100", "200", "300", "500", "600"), List.copyOf(s.all().curveBySteps().keySet()));
        assertEquals((0.3 + 0.98) / 2, s.all().curveBySteps().get("300"), 1e-12);
        assertEquals(0.2, s.all().curveBySteps().get("100"), 1e-12);
        assertEquals(1, s.all().dropLag(), "with step 0 the curve drops at once");
        assertEquals(100, s.all().dropLagSteps());

        assertEquals(List.of("1", "2"), List.copyOf(s.excludingInitial().curveByCheckpoints().keySet()));
        assertEquals((0.96 + 0.98) / 2, s.excludingInitial().curveByCheckpoints().get("1"), 1e-12);
        assertEquals(List.of("200", "300", "500"), List.copyOf(s.excludingInitial().curveBySteps().keySet()));
        assertNull(s.excludingInitial().dropLag(), "without it nothing falls below 0.9");
        assertNull(s.excludingInitial().dropLagSteps());
        TcSummary strict = TcSummary.of("stem", "test", "carry", STEPS, relative(), 0.95);
        assertEquals(2, strict.excludingInitial().dropLag());
        assertEquals(500, strict.excludingInitial().dropLagSteps());
    }

    @Test
    void pairsWhoseDeepDonorIsAtChanceAreLeftOutAndCounted() {
        // the checkpoint at step 100 has not learnt yet: H(0 -> 100) is chance over chance
        Map<List<Integer>, Double> rel = relative();
        rel.put(List.of(0, 100), 1.0);
        TcSummary s = TcSummary.of("stem", "test", "carry", STEPS, rel, Set.of(0, 100), 0.9);
        assertEquals(1, s.chancePairs());
        assertEquals(5, s.all().pairs());
        assertEquals((0.3 + 0.4 + 0.96 + 0.92 + 0.98) / 5, s.all().tc(), 1e-12);
        assertFalse(s.all().curveBySteps().containsKey("100"), "the only pair at step lag 100 is at chance");
        assertEquals((0.96 + 0.98) / 2, s.all().curveByCheckpoints().get("1"), 1e-12);
        assertEquals(3, s.excludingInitial().pairs());
    }

    @Test
    void everyPairAtChanceLeavesNoScore() {
        TcSummary s = TcSummary.of("stem", "test", "carry", List.of(0, 10), Map.of(List.of(0, 10), 1.0),
                Set.of(0, 10), 0.9);
        assertTrue(Double.isNaN(s.tcScore()));
        assertEquals(0, s.all().pairs());
        assertTrue(s.curve().isEmpty());
        assertNull(s.dropLag());
        assertEquals(1, s.chancePairs());
    }

    @Test
    void withoutAStepZeroBothVariantsAreTheSame() {
        Map<List<Integer>, Double> rel = Map.of(List.of(50, 100), 0.9, List.of(50, 200), 0.8,
                List.of(100, 200), 0.95);
        TcSummary s = TcSummary.of("stem", "test", "carry", List.of(50, 100, 200), rel, 0.9);
        assertNull(s.initialStep());
        assertSame(s.all(), s.excludingInitial());
        assertEquals((0.9 + 0.8 + 0.95) / 3, s.tcScore(), 1e-12);
        assertEquals(List.of("50", "100", "150"), List.copyOf(s.all().curveBySteps().keySet()));
    }

    @Test
    void theChanceRuleIsTwoStandardErrorsAboveOneOverTheClasses() {
        // 10 classes, 500 images: SE = sqrt(0.1 * 0.9 / 500) = 0.013416; chance + 2 SE = 0.126833
        assertTrue(ChanceLevel.atChance(0.100, 10, 500));
        assertTrue(ChanceLevel.atChance(0.126, 10, 500));
        assertFalse(ChanceLevel.atChance(0.127, 10, 500));
        assertTrue(ChanceLevel.atChance(0.02, 10, 500), "below chance says nothing either");
        // fewer images, wider band: 100 images, SE = 0.03, chance + 2 SE = 0.16
        assertTrue(ChanceLevel.atChance(0.159, 10, 100));
        assertFalse(ChanceLevel.atChance(0.161, 10, 100));
        // two classes: 0.5 + 2 sqrt(0.25 / 400) = 0.55
        assertTrue(ChanceLevel.atChance(0.549, 2, 400));
        assertFalse(ChanceLevel.atChance(0.551, 2, 400));
        assertThrows(IllegalArgumentException.class, () -> ChanceLevel.atChance(0.5, 1, 10));
        assertThrows(IllegalArgumentException.class, () -> ChanceLevel.atChance(0.5, 10, 0));
    }
}
