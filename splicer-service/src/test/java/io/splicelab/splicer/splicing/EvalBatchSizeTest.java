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
    void onAGpuAutoFitsFourCopiesOfTheWidestActivationIntoHalfTheBudget() {
        // ResNet-20 on 32 x 32: 16 x 32 x 32 floats, 4 bytes, 4 live copies = 256 KiB per image
        long widest = 16 * 32 * 32;
        assertEquals(128, EvalBatchSize.auto(widest, 64 * MIB, true), "32 MiB usable / 256 KiB");
        assertEquals(16, EvalBatchSize.auto(widest, 10_000_000, true), "19 rounded down to a multiple of 8");
        assertEquals(6, EvalBatchSize.auto(widest, 3 * MIB, true), "1.5 MiB / 256 KiB: below 8 not rounded");
        assertEquals(1, EvalBatchSize.auto(widest, 1000, true), "at least one image");
        assertEquals(1, EvalBatchSize.auto(widest, -5, true));
        assertEquals(1024, EvalBatchSize.auto(widest, 64L * 1024 * MIB, true), "capped");
        // twice as wide, half the batch
        assertEquals(64, EvalBatchSize.auto(2 * widest, 64 * MIB, true));
    }

    @Test
    void onTheCpuAutoPlansTheMeasuredWorkspacesAndStaysAtMost128() {
        // the measurement of the class comment: Fashion-MNIST ResNet-20, 16 x 28 x 28 floats, default 512 MiB
        // budget; the old estimate gave 1024 (RSS 3.47 GB), 128 peaked at 1.6 GB
        long fashion = 16 * 28 * 28;
        assertEquals(120, EvalBatchSize.auto(fashion, 512 * MIB, false), "256 MiB / (49 KiB x 42)");
        assertEquals(1024, EvalBatchSize.auto(fashion, 512 * MIB, true), "what the GPU estimate would give");
        long cifar = 16 * 32 * 32;
        assertEquals(96, EvalBatchSize.auto(cifar, 512 * MIB, false), "97 rounded down to a multiple of 8");
        assertEquals(8, EvalBatchSize.auto(cifar, 64 * MIB, false));
        assertEquals(128, EvalBatchSize.auto(cifar, 64L * 1024 * MIB, false), "capped on the CPU");
        assertEquals(1, EvalBatchSize.auto(cifar, 1000, false), "at least one image");
        assertTrue(EvalBatchSize.bytesPerImage(cifar, false) > EvalBatchSize.bytesPerImage(cifar, true));
    }

    @Test
    void anExplicitNumberStaysAndBadSettingsAreRefused() {
        assertEquals(64, EvalBatchSize.resolve("64", 16384, 1, false));
        assertEquals(1000, EvalBatchSize.resolve("1000", 16384, 1, false), "an explicit number is not capped");
        assertEquals(32, EvalBatchSize.resolve(" 32 ", 0, 0, true));
        assertEquals(128, EvalBatchSize.resolve("auto", 16384, 64 * MIB, true));
        assertEquals(128, EvalBatchSize.resolve("AUTO", 16384, 64 * MIB, true));
        assertEquals(128, EvalBatchSize.resolve(null, 16384, 64 * MIB, true));
        assertEquals(96, EvalBatchSize.resolve("auto", 16384, 512 * MIB, false));
        assertEquals(EvalBatchSize.FALLBACK, EvalBatchSize.resolve("auto", 0, 64 * MIB, false), "activations unknown");
        for (String bad : new String[] {"0", "-3", "big", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> EvalBatchSize.resolve(bad, 1, 1, false));
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
