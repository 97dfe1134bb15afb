package io.splicelab.model.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What oneDNN's faulty backward reads is PyTorch memory that was never written; these tests look at such
 * memory directly ({@code NDManager.create(Shape)} is {@code torch.empty}) after NaN-filled tensors of the
 * same size were freed, which is what a faulty step leaves behind.
 */
class HeapFillTest {
    /** An activation of ResNet-20's first stage at width 1, batch 128, 28 x 28. */
    private static final Shape ACTIVATION = new Shape(128, 16, 28, 28);
    private static final int TRIALS = 20;

    @BeforeAll
    static void offline() {
        DjlOffline.configure();
    }

    /** In how many trials a fresh tensor held a non-finite value after NaN-filled ones were freed. */
    private static int trialsWithGarbageNaN() {
        int dirty = 0;
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int t = 0; t < TRIALS; t++) {
                try (NDManager step = manager.newSubManager()) {
                    NDArray a = step.full(ACTIVATION, Float.NaN);
                    NDArray b = step.full(new Shape(64, 16, 28, 28), Float.NaN);
                    a.close();
                    b.close();
                    NDArray fresh = step.create(ACTIVATION, DataType.FLOAT32);
                    boolean nonFinite = false;
                    for (float v : fresh.toFloatArray()) {
                        if (!Float.isFinite(v)) {
                            nonFinite = true;
                            break;
                        }
                    }
                    dirty += nonFinite ? 1 : 0;
                }
            }
        }
        return dirty;
    }

    @Test
    void freshMemoryIsFiniteWhileALeaseIsOpen() {
        assertTrue(HeapFill.supported(), "glibc's mallopt is reachable on Linux");
        int before = trialsWithGarbageNaN();
        int filled;
        try (HeapFill.Lease lease = HeapFill.fill()) {
            assertTrue(HeapFill.active());
            filled = trialsWithGarbageNaN();
        }
        assertFalse(HeapFill.active());
        assertTrue(before > 0, "without the fill a fresh tensor reuses the freed NaN (the control): " + before
                + " of " + TRIALS);
        assertEquals(0, filled, "with the fill no fresh tensor holds a NaN");
    }

    @Test
    void theFillStaysOnUntilTheLastLeaseCloses() {
        HeapFill.Lease first = HeapFill.fill();
        HeapFill.Lease second = HeapFill.fill();
        first.close();
        first.close();
        assertTrue(HeapFill.active(), "the second holder still needs it");
        second.close();
        assertFalse(HeapFill.active());
    }
}
