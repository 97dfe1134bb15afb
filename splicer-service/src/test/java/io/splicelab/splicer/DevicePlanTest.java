package io.splicelab.splicer;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.splicelab.splicer.splicing.RunGrid;
import org.junit.jupiter.api.Test;

/** Reduced precision only where it pays: float16 refused on a CPU with the reason, allowed on a GPU. */
class DevicePlanTest {

    @Test
    void float16OnACpuIsRefusedWithTheMeasuredReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DevicePlan.requirePrecisionThatPays(RunGrid.FLOAT16, Device.cpu()));
        assertTrue(e.getMessage().contains("0.048x") && e.getMessage().contains("float32"), e.getMessage());
    }

    @Test
    void float16OnAGpuAndFloat32AnywhereAreAccepted() {
        assertDoesNotThrow(() -> DevicePlan.requirePrecisionThatPays(RunGrid.FLOAT16, Device.gpu()));
        assertDoesNotThrow(() -> DevicePlan.requirePrecisionThatPays(RunGrid.FLOAT32, Device.cpu()));
    }
}
