package io.splicelab.model.djl;

import java.nio.file.Path;
import java.util.Map;

/**
 * DJL must never reach for the network: without offline mode it looks for native libraries online and
 * its usage tracking calls a cloud metadata address. Every entry point calls {@link #configure()} before
 * touching DJL; launch scripts set the same switches on the command line too.
 */
public final class DjlOffline {
    /**
     * oneDNN's instruction-set ceiling. It must be in the process environment before PyTorch loads, so launchers
     * set it: {@code ALL}, the best the CPU has, unless the user chose otherwise. The AVX2 cap that training once
     * had is gone: the fault it was for (oneDNN's backward reading unwritten channel padding of blocked layouts)
     * does not arise in the channels-last format every batch now has ({@link io.splicelab.model.net.ChannelsLast},
     * docs/science.md section 8), and the cap cost up to 45% of the grid's and a fifth of training's throughput.
     */
    public static final String DNNL_ISA_VARIABLE = "DNNL_MAX_CPU_ISA";

    /**
     * glibc's mmap threshold: allocations below it come from the malloc arenas and are reused. libtorch allocates
     * every activation with malloc; glibc's default (128 KiB, adjusted only on frees, which does not happen in a
     * JVM's threads here) puts each one in a fresh mmap that is unmapped again when the tensor is freed, so every
     * activation written costs one page fault per 4 KiB. On a virtual machine that fault is dear: the splicer's deep
     * part spent about a quarter of its time in them (docs/science.md section 9). 32 MiB is the highest value glibc
     * accepts (a larger one is ignored): above every activation of a ResNet-20 batch of 100.
     */
    public static final String MMAP_THRESHOLD_VARIABLE = "MALLOC_MMAP_THRESHOLD_";
    /** glibc's trim threshold: free memory at the top of an arena kept rather than handed back (and faulted in again). */
    public static final String TRIM_THRESHOLD_VARIABLE = "MALLOC_TRIM_THRESHOLD_";
    static final String MMAP_THRESHOLD = String.valueOf(32L << 20);
    static final String TRIM_THRESHOLD = String.valueOf(256L << 20);

    private static volatile boolean mallocConfigured;

    private DjlOffline() {
    }

    /**
     * Environment a JVM that runs DJL should start with: tracking off, oneDNN's instruction set ({@code ALL}
     * unless the user set {@value #DNNL_ISA_VARIABLE} in this process's environment; ATen's
     * {@code ATEN_CPU_CAPABILITY} passed on when set, otherwise left to PyTorch's choice) and glibc's malloc
     * thresholds ({@value #MMAP_THRESHOLD_VARIABLE}, {@value #TRIM_THRESHOLD_VARIABLE}; a value the user set wins).
     */
    public static Map<String, String> launchEnvironment() {
        String aten = System.getenv("ATEN_CPU_CAPABILITY");
        Map<String, String> env = new java.util.LinkedHashMap<>();
        env.put("OPT_OUT_TRACKING", "true");
        env.put(DNNL_ISA_VARIABLE, userOr(DNNL_ISA_VARIABLE, "ALL"));
        if (aten != null && !aten.isBlank()) {
            env.put("ATEN_CPU_CAPABILITY", aten);
        }
        env.put(MMAP_THRESHOLD_VARIABLE, userOr(MMAP_THRESHOLD_VARIABLE, MMAP_THRESHOLD));
        env.put(TRIM_THRESHOLD_VARIABLE, userOr(TRIM_THRESHOLD_VARIABLE, TRIM_THRESHOLD));
        return Map.copyOf(env);
    }

    private static String userOr(String variable, String fallback) {
        String value = System.getenv(variable);
        return value != null && !value.isBlank() ? value : fallback;
    }

    /**
     * Sets offline mode, tracking opt-out and a project-owned cache directory, unless already set, and glibc's
     * malloc thresholds of this process ({@link MallocThresholds}) unless its environment gave them.
     */
    public static void configure() {
        if (!mallocConfigured) {
            mallocConfigured = true;
            MallocThresholds.apply(System.getenv());
        }
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        String cache = firstNonBlank(System.getProperty("DJL_CACHE_DIR"), System.getenv("DJL_CACHE_DIR"),
                Path.of(System.getProperty("user.home"), ".splicelab", "djl-cache").toString());
        setIfAbsent("DJL_CACHE_DIR", cache);
        setIfAbsent("ENGINE_CACHE_DIR", firstNonBlank(System.getProperty("ENGINE_CACHE_DIR"),
                System.getenv("ENGINE_CACHE_DIR"), cache));
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
