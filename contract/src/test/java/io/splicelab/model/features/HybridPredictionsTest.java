package io.splicelab.model.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HybridPredictionsTest {
    private static final float[][] LOGITS = {
        {0.5f, 2.5f, -1f},      // class 1, margin 2.5 - 0.5 = 2
        {3f, 3f, 1f},           // a tie: the first largest (class 0), margin 0
        {-4f, -7f, -1.25f},     // class 2, margin -1.25 - -4 = 2.75
        {1f, Float.NaN, 0f},    // a diverged row: class 0 (NaN is never larger), margin NaN
    };

    @Test
    void thePredictedClassIsTheFirstLargestLogitAndTheMarginTheGapToTheSecond() {
        HybridPredictions p = HybridPredictions.of(LOGITS, new int[] {1, 1, 0, 0}, new int[] {17, 3, 9000, 42});
        assertArrayEquals(new int[] {1, 0, 2, 0}, p.predicted());
        assertEquals(2f, p.logitMargin()[0]);
        assertEquals(0f, p.logitMargin()[1]);
        assertEquals(2.75f, p.logitMargin()[2]);
        assertTrue(Float.isNaN(p.logitMargin()[3]));
        assertArrayEquals(new int[] {17, 3, 9000, 42}, p.splitIndex());
        assertEquals(0.5, p.accuracy(), "rows 0 and 3 are right");
    }

    @Test
    void anArchiveRoundTripsAndTheSamePredictionsGiveTheSameBytes() {
        HybridPredictions p = HybridPredictions.of(LOGITS, new int[] {1, 1, 0, 0}, new int[] {17, 3, 9000, 42});
        byte[] npz = p.encode();
        HybridPredictions back = HybridPredictions.decode(npz);
        assertEquals(p, back);
        assertArrayEquals(npz, HybridPredictions.of(LOGITS, new int[] {1, 1, 0, 0}, new int[] {17, 3, 9000, 42})
                .encode(), "deterministic bytes: a recomputed cell rewrites its file identically");
        assertNotEquals(p, HybridPredictions.of(LOGITS, new int[] {1, 1, 0, 1}, new int[] {17, 3, 9000, 42}));

        Map<String, Npy.Array> arrays = Npy.readNpz(npz, 1 << 20);
        assertEquals(java.util.List.of("splitIndex", "label", "predicted", "logitMargin"),
                java.util.List.copyOf(arrays.keySet()), "numpy.load sees four named arrays");
        assertEquals("<f4", arrays.get("logitMargin").header().descr());
        assertArrayEquals(new long[] {4}, arrays.get("predicted").shape());
    }

    @Test
    void malformedInputIsRefusedSayingWhy() {
        assertThrows(IllegalArgumentException.class, () -> HybridPredictions.of(new float[][] {{1f}}, new int[] {0},
                new int[] {0}), "one class has no margin");
        assertThrows(IllegalArgumentException.class, () -> new HybridPredictions(new int[2], new int[3], new int[3],
                new float[3]));
        Map<String, byte[]> partial = new LinkedHashMap<>();
        partial.put("label", Npy.ints(new int[] {1}, 1));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> HybridPredictions.decode(Npy.npz(partial)));
        assertTrue(missing.getMessage().contains("splitIndex"), missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HybridPredictions.decode(new byte[] {1, 2, 3}));
    }
}
