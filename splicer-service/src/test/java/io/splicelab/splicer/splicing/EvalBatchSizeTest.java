package io.splicelab.splicer.splicing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.splicelab.model.djl.DjlOffline;
import io.splicelab.model.events.Payloads.NetworkSpec;
import org.junit.jupiter.api.Test;

class EvalBatchSizeTest {
    static final long MIB = 1024 * 1024;

    @Test
    void autoFitsTheWidestActivationIntoHalfTheBudget() {
        // ResNet-20 on 32 x 32: 16 x 32 x 32 floats, 4 bytes, 4 live copies = 256 KiB per image
        long widest = 16 * 32 * 32;
        assertEquals(128, EvalBatchSize.auto(widest, 64 * MIB), "32 MiB usable / 256 KiB");
        assertEquals(16, EvalBatchSize.auto(widest, 10_000_000), "19 rounded down to a multiple of 8");
        assertEquals(6, EvalBatchSize.auto(widest, 3 * MIB), "1.5 MiB / 256 KiB: below 8 not rounded");
        assertEquals(1, EvalBatchSize.auto(widest, 1000), "at least one image");
        assertEquals(1, EvalBatchSize.auto(widest, -5));
        assertEquals(1024, EvalBatchSize.auto(widest, 64L * 1024 * MIB), "capped");
        // twice as wide, half the batch
        assertEquals(64, EvalBatchSize.auto(2 * widest, 64 * MIB));
    }

    @Test
    void anExplicitNumberStaysAndBadSettingsAreRefused() {
        assertEquals(64, EvalBatchSize.resolve("64", 16384, 1));
        assertEquals(32, EvalBatchSize.resolve(" 32 ", 0, 0));
        assertEquals(128, EvalBatchSize.resolve("auto", 16384, 64 * MIB));
        assertEquals(128, EvalBatchSize.resolve("AUTO", 16384, 64 * MIB));
        assertEquals(128, EvalBatchSize.resolve(null, 16384, 64 * MIB));
        assertEquals(EvalBatchSize.FALLBACK, EvalBatchSize.resolve("auto", 0, 64 * MIB), "activations unknown");
        for (String bad : new String[] {"0", "-3", "big", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> EvalBatchSize.resolve(bad, 1, 1));
            assertTrue(e.getMessage().contains("splicelab.splicer.batch-size"), e.getMessage());
        }
    }

    @Test
    void theBudgetIsTheFreeHeapOnTheCpuAndTheConfiguredAmountOnAGpu() {
        Runtime rt = Runtime.getRuntime();
        long budget = EvalBatchSize.budgetBytes(Device.cpu(), 1);
        assertTrue(budget > 0 && budget <= rt.maxMemory(), "free heap " + budget);
        assertEquals(4096 * MIB, EvalBatchSize.budgetBytes(Device.gpu(), 4096 * MIB));
    }

    @Test
    void theWidestActivationOfAResNetIsItsFirstStage() {
        DjlOffline.configure();
        assertEquals(16 * 32 * 32, EvalBatchSize.widestActivation(new NetworkSpec("resnet20", 1.0, 3, 32, 32, 10)));
        assertEquals(32 * 32 * 32, EvalBatchSize.widestActivation(new NetworkSpec("resnet20", 2.0, 3, 32, 32, 10)));
    }
}
