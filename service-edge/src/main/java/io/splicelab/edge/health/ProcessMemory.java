package io.splicelab.edge.health;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the process holds now and at its peak, by kind: the Java heap, direct buffers (ONNX Runtime tensors,
 * Kafka, DJL arrays made from Java data) and the resident set, which also counts the engines' native memory
 * (libtorch, oneDNN workspaces) that neither of the other two sees. A service's memory budget is only a
 * promise if these can be read while it works, so they are part of its health data (and of the drills' reports).
 */
public final class ProcessMemory {
    private static final long MB = 1024 * 1024;

    private ProcessMemory() {
    }

    /**
     * The figures in MB: {@code heapUsedMb}, {@code heapPeakMb} (the sum of the heap pools' peaks, an upper bound
     * of the heap's peak), {@code heapMaxMb}, {@code directUsedMb}, {@code directBuffers}, {@code rssMb} and
     * {@code rssPeakMb} (Linux; absent elsewhere).
     */
    public static Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        Runtime rt = Runtime.getRuntime();
        m.put("heapUsedMb", (rt.totalMemory() - rt.freeMemory()) / MB);
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        m.put("heapPeakMb", peak / MB);
        m.put("heapMaxMb", rt.maxMemory() / MB);
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if ("direct".equals(pool.getName())) {
                m.put("directUsedMb", pool.getMemoryUsed() / MB);
                m.put("directBuffers", pool.getCount());
            }
        }
        Map<String, Long> status = procStatus(Path.of("/proc/self/status"));
        if (status.containsKey("VmRSS")) {
            m.put("rssMb", status.get("VmRSS") / 1024);
        }
        if (status.containsKey("VmHWM")) {
            m.put("rssPeakMb", status.get("VmHWM") / 1024);
        }
        return m;
    }

    /** The kB figures of a Linux {@code /proc/<pid>/status} file by name; empty where there is none. */
    static Map<String, Long> procStatus(Path file) {
        Map<String, Long> out = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.endsWith(" kB")) {
                    String value = line.substring(colon + 1, line.length() - 3).trim();
                    try {
                        out.put(line.substring(0, colon), Long.parseLong(value));
                    } catch (NumberFormatException e) {
                        // not a figure: skip
                    }
                }
            }
        } catch (IOException | SecurityException e) {
            // not Linux, or not readable: no resident-set figures
        }
        return out;
    }
}
