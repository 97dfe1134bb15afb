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
     * so launchers set it, per {@link Workload}.
     */
    public static final String DNNL_ISA_VARIABLE = "DNNL_MAX_CPU_ISA";

    /**
     * What a JVM does with DJL, which decides its default instruction set: training runs backward passes, where
     * oneDNN's fault lives, so it stays capped at AVX2 (the heap fill guards what the cap does not cover); the
     * splicer and the stats service run forward passes only, which stayed finite in every check at AVX-512, so
     * they get the best instruction set the CPU has (the hybrid grid ran 1.8x faster uncapped on AVX-512).
     */
    public enum Workload {
        /** Backward passes: the trainer. */
        TRAINING,
        /** Forward passes only: the splicer, the stats service, the gateway's import checks. */
        INFERENCE
    }

    private DjlOffline() {
    }

    /**
     * Environment a JVM that runs DJL for this workload should start with. A value the user set in this
     * process's environment wins for every workload; otherwise training is capped at AVX2 and inference is not
     * ({@code ALL}, and ATen left to choose).
     */
    public static Map<String, String> launchEnvironment(Workload workload) {
        String isa = System.getenv(DNNL_ISA_VARIABLE);
        String aten = System.getenv("ATEN_CPU_CAPABILITY");
        boolean training = workload == Workload.TRAINING;
        Map<String, String> env = new java.util.LinkedHashMap<>();
        env.put("OPT_OUT_TRACKING", "true");
        env.put(DNNL_ISA_VARIABLE, isa != null && !isa.isBlank() ? isa : training ? "AVX2" : "ALL");
        if (aten != null && !aten.isBlank()) {
            env.put("ATEN_CPU_CAPABILITY", aten);
        } else if (training) {
            env.put("ATEN_CPU_CAPABILITY", "avx2");
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
