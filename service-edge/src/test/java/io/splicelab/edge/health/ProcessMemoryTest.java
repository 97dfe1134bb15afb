package io.splicelab.edge.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessMemoryTest {
    @Test
    void readsTheKilobyteFiguresOfAProcStatusFile(@TempDir Path dir) throws Exception {
        Path status = dir.resolve("status");
        Files.writeString(status, "Name:\tjava\nState:\tS (sleeping)\nVmHWM:\t 1583104 kB\nVmRSS:\t  812000 kB\n"
                + "Threads:\t41\n");
        Map<String, Long> figures = ProcessMemory.procStatus(status);
        assertEquals(Map.of("VmHWM", 1583104L, "VmRSS", 812000L), figures);
        assertTrue(ProcessMemory.procStatus(dir.resolve("absent")).isEmpty());
    }

    @Test
    void reportsHeapDirectAndResidentFigures() {
        Map<String, Long> m = ProcessMemory.snapshot();
        assertTrue(m.get("heapMaxMb") > 0, m.toString());
        assertTrue(m.get("heapPeakMb") > 0, m.toString());
        assertTrue(m.containsKey("directUsedMb"), m.toString());
        if (Files.exists(Path.of("/proc/self/status"))) {
            assertTrue(m.get("rssPeakMb") >= m.get("rssMb"), m.toString());
        }
    }
}
