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

    private DjlOffline() {
    }

    /**
     * Environment a JVM that runs DJL should start with: tracking off and oneDNN's instruction set ({@code ALL}
     * unless the user set {@value #DNNL_ISA_VARIABLE} in this process's environment; ATen's
     * {@code ATEN_CPU_CAPABILITY} passed on when set, otherwise left to PyTorch's choice).
     */
    public static Map<String, String> launchEnvironment() {
        String isa = System.getenv(DNNL_ISA_VARIABLE);
        String aten = System.getenv("ATEN_CPU_CAPABILITY");
        Map<String, String> env = new java.util.LinkedHashMap<>();
        env.put("OPT_OUT_TRACKING", "true");
        env.put(DNNL_ISA_VARIABLE, isa != null && !isa.isBlank() ? isa : "ALL");
        if (aten != null && !aten.isBlank()) {
            env.put("ATEN_CPU_CAPABILITY", aten);
        }
        return Map.copyOf(env);
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
