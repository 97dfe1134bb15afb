package io.splicelab.model.djl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MallocThresholdsTest {
    @Test
    void freedActivationsAreReusedInsteadOfFaultedInAfresh() throws IOException {
        DjlOffline.configure();
        assertTrue(MallocThresholds.apply(Map.of()), "glibc took both thresholds");
        try (NDManager m = NDManager.newBaseManager()) {
            // an activation of a ResNet-20 batch of 100 at its first stage: 100 x 16 x 28 x 28 floats, 1225 pages
            NDArray x = m.randomNormal(new Shape(100, 16, 28, 28));
            long pages = x.size() * 4 / 4096;
            // the first rounds grow the arena until it holds the working set; then a freed output is reused
            int rounds = 40;
            long[] faults = new long[rounds];
            for (int i = 0; i < rounds; i++) {
                long before = minorFaults();
                try (NDManager batch = m.newSubManager()) {
                    x.tempAttach(batch);
                    x.add(1f); // a fresh output of x's size, freed with the batch
                }
                faults[i] = minorFaults() - before;
            }
            long[] settled = Arrays.copyOfRange(faults, rounds / 2, rounds);
            Arrays.sort(settled);
            long median = settled[settled.length / 2];
            // with glibc's defaults in a JVM every round faults the whole output in again (about 1225 faults)
            assertTrue(median < pages / 10, median + " page faults (median of the last " + settled.length
                    + " rounds) per freed-and-reallocated activation of " + pages + " pages; all rounds: "
                    + Arrays.toString(faults));
        }
    }

    /** This process's minor page faults so far (field 10 of /proc/self/stat). */
    private static long minorFaults() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[7]);
    }
}
