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
     * oneDNN's AVX-512 backward convolution (oneDNN 3.7.1 in PyTorch 2.7.1 CPU) gives NaN input gradients,
     * intermittently, on layers whose channel count is not a multiple of 16: it reads padding of its 16-channel
     * blocks that nobody wrote (docs/science.md section 8). Capping the instruction set at AVX2 avoids it;
     * forward passes are not affected. The variable must be in the process environment before PyTorch loads,
     * so launchers set it.
     */
    public static final String DNNL_ISA_VARIABLE = "DNNL_MAX_CPU_ISA";

    private DjlOffline() {
    }

    /** Environment every JVM that runs DJL should start with (a user's own value wins). */
    public static Map<String, String> launchEnvironment() {
        String isa = System.getenv(DNNL_ISA_VARIABLE);
        String aten = System.getenv("ATEN_CPU_CAPABILITY");
        return Map.of("OPT_OUT_TRACKING", "true", DNNL_ISA_VARIABLE, isa == null || isa.isBlank() ? "AVX2" : isa,
                "ATEN_CPU_CAPABILITY", aten == null || aten.isBlank() ? "avx2" : aten);
    }

    /** Sets offline mode, tracking opt-out and a project-owned cache directory, unless already set. */
    public static void configure() {
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
