package io.splicelab.local;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The four packaged Quarkus services of the stack, in start order (the gateway last, it reads every result). */
public enum Service {
    TRAINER("trainer-service", 8081, "768m"),
    SPLICER("splicer-service", 8082, "1g"),
    STATS("stats-service", 8083, "384m"),
    GATEWAY("gateway", 8080, "384m");

    private final String module;
    private final int defaultPort;
    private final String defaultHeap;

    Service(String module, int defaultPort, String defaultHeap) {
        this.module = module;
        this.defaultPort = defaultPort;
        this.defaultHeap = defaultHeap;
    }

    /** The Maven module (folder at the repository root) and the name of its log file. */
    public String module() {
        return module;
    }

    public int defaultPort() {
        return defaultPort;
    }

    /** The default {@code -Xmx}; DJL's tensors live outside the Java heap. */
    public String defaultHeap() {
        return defaultHeap;
    }

    /** By module name ({@code trainer-service}), short name ({@code trainer}) or enum name. */
    public static Optional<Service> byName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(s -> s.module.equals(n) || s.name().toLowerCase(Locale.ROOT).equals(n)
                        || s.module.replace("-service", "").equals(n))
                .findFirst();
    }
}
