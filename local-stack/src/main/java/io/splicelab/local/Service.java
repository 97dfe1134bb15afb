package io.splicelab.local;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The four packaged Quarkus services of the stack, in start order (the gateway last, it reads every result), with
 * their JVM settings. This is the one place for a service's memory and JVM flags; the command line adds to them
 * ({@code --heap splicer=2g}, {@code --jvm-opt splicer=-XX:MaxDirectMemorySize=4g}).
 */
public enum Service {
    TRAINER("trainer-service", 8081, "768m", List.of()),
    /** Evaluates the hybrids; DJL's tensors live outside the Java heap (native memory). */
    SPLICER("splicer-service", 8082, "1g", List.of()),
    STATS("stats-service", 8083, "384m", List.of()),
    GATEWAY("gateway", 8080, "384m", List.of());

    /**
     * JVM options of every service: a JVM that ran out of memory exits, so that the stack's supervisor restarts
     * it, instead of limping on with threads that died of the error.
     */
    public static final List<String> COMMON_JVM_OPTIONS = List.of("-XX:+ExitOnOutOfMemoryError");

    private final String module;
    private final int defaultPort;
    private final String defaultHeap;
    private final List<String> jvmOptions;

    Service(String module, int defaultPort, String defaultHeap, List<String> jvmOptions) {
        this.module = module;
        this.defaultPort = defaultPort;
        this.defaultHeap = defaultHeap;
        this.jvmOptions = jvmOptions;
    }

    /** The Maven module (folder at the repository root) and the name of its log file. */
    public String module() {
        return module;
    }

    /** The short name used on the command line ({@code trainer}, {@code splicer}, {@code stats}, {@code gateway}). */
    public String shortName() {
        return module.replace("-service", "");
    }

    public int defaultPort() {
        return defaultPort;
    }

    /** The default {@code -Xmx}; DJL's tensors live outside the Java heap. */
    public String defaultHeap() {
        return defaultHeap;
    }

    /** The JVM options this service always gets after {@code -Xmx}: {@link #COMMON_JVM_OPTIONS} and its own. */
    public List<String> defaultJvmOptions() {
        return java.util.stream.Stream.concat(COMMON_JVM_OPTIONS.stream(), jvmOptions.stream()).toList();
    }

    /** By module name ({@code trainer-service}), short name ({@code trainer}) or enum name. */
    public static Optional<Service> byName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(s -> s.module.equals(n) || s.name().toLowerCase(Locale.ROOT).equals(n)
                        || s.shortName().equals(n))
                .findFirst();
    }
}
