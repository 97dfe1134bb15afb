package io.splicelab.splicer.splicing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splicelab.model.data.ImageDataset;
import io.splicelab.model.data.SyntheticImages;
import io.splicelab.splicer.DjlOfflineExtension;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The reduced-precision mode: the whole grid in float16, each cell saying so, close to float32. */
@ExtendWith(DjlOfflineExtension.class)
class LowPrecisionGridTest {
    @TempDir
    Path spill;

    @Test
    void aFloat16GridRecordsItsPrecisionAndStaysCloseToFloat32() {
        List<byte[]> params = RunGridTest.checkpoints();
        ImageDataset eval = SyntheticImages.split("test", 100);
        RunGrid.Options f32 = new RunGrid.Options(RunGridTest.CUTS, List.of(RunGrid.CARRY), RunGridTest.BATCH,
                1L << 30, spill, RunGrid.FLOAT32);
        RunGrid.Options b16 = new RunGrid.Options(RunGridTest.CUTS, List.of(RunGrid.CARRY), RunGridTest.BATCH,
                1L << 30, spill, RunGrid.FLOAT16);
        List<HybridCell> full = RunGridTest.grid(f32, List.of(eval), null, params, false);
        List<HybridCell> low = RunGridTest.grid(b16, List.of(eval), null, params, false);
        assertEquals(full.size(), low.size());
        double worst = 0;
        for (int i = 0; i < full.size(); i++) {
            HybridCell a = full.get(i);
            HybridCell b = low.get(i);
            assertEquals(a.key(), b.key(), "same cell order");
            assertEquals(RunGrid.FLOAT16, b.precision());
            b.metrics().values().forEach(v -> assertTrue(Double.isFinite(v) || Double.isNaN(v)));
            worst = Math.max(worst, Math.abs(a.metrics().get("accuracy") - b.metrics().get("accuracy")));
        }
        System.out.println("largest |accuracy(f16) - accuracy(f32)| over " + full.size() + " cells: " + worst);
        assertTrue(worst <= 0.1, "float16 accuracy differs from float32 by " + worst);
    }

    @Test
    void bfloat16IsRefusedUpFrontInsteadOfAbortingTheProcess() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new RunGrid.Options(RunGridTest.CUTS, List.of(RunGrid.CARRY), 10, 1, spill, RunGrid.BFLOAT16));
        assertTrue(e.getMessage().contains("float16"), e.getMessage());
    }
}
