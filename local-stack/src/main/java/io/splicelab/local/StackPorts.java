package io.splicelab.local;

import io.splicelab.kafka.KafkaBroker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The interface and the ports the stack listens on. By default everything binds to the loopback
 * ({@code 127.0.0.1}): a laptop's stack is not reachable from the network unless asked ({@code --bind}).
 * Port 0 means "a free one", resolved once here so every child and every URL agree.
 */
public final class StackPorts {
    /** The default: reachable from this machine only. */
    public static final String LOOPBACK = KafkaBroker.LOOPBACK;
    /** The environment variable that sets the bind address when {@code --bind} is not given. */
    public static final String BIND_ENV = "SPLICELAB_BIND";

    private final String bindAddress;
    private final int kafkaPort;
    private final Map<Service, Integer> ports;

    private StackPorts(String bindAddress, int kafkaPort, Map<Service, Integer> ports) {
        this.bindAddress = bindAddress;
        this.kafkaPort = kafkaPort;
        this.ports = ports;
    }

    /**
     * Resolves every port 0 to a free port (all different) and refuses a port given twice.
     *
     * @param services the services that will run (only their ports must differ)
     */
    public static StackPorts resolve(String bindAddress, int kafkaPort, Map<Service, Integer> wanted,
            Collection<Service> services) {
        String bind = bindAddress == null || bindAddress.isBlank() ? LOOPBACK : bindAddress.trim();
        int kafka = kafkaPort == 0 ? KafkaBroker.freePort() : kafkaPort;
        Set<Integer> taken = new LinkedHashSet<>();
        taken.add(kafka);
        Map<Service, Integer> resolved = new EnumMap<>(Service.class);
        for (Service s : Service.values()) {
            int asked = wanted.getOrDefault(s, s.defaultPort());
            int p = asked;
            while (p == 0 || (asked == 0 && taken.contains(p))) {
                p = KafkaBroker.freePort();
            }
            resolved.put(s, p);
            taken.add(p);
        }
        Map<Integer, List<String>> byPort = new LinkedHashMap<>();
        byPort.computeIfAbsent(kafka, k -> new ArrayList<>()).add("kafka");
        services.forEach(s -> byPort.computeIfAbsent(resolved.get(s), k -> new ArrayList<>()).add(s.module()));
        byPort.forEach((port, names) -> {
            if (names.size() > 1) {
                throw new LocalStackException("port " + port + " given to more than one of " + names);
            }
        });
        return new StackPorts(bind, kafka, resolved);
    }

    /** {@code --bind}, else {@code $SPLICELAB_BIND}, else the loopback. */
    public static String defaultBindAddress() {
        String env = System.getenv(BIND_ENV);
        return env == null || env.isBlank() ? LOOPBACK : env.trim();
    }

    public String bindAddress() {
        return bindAddress;
    }

    /** Where clients on this machine connect (the loopback when bound to every interface). */
    public String connectHost() {
        String h = KafkaBroker.connectHost(bindAddress);
        return h.contains(":") && !h.startsWith("[") ? "[" + h + "]" : h;
    }

    public int kafkaPort() {
        return kafkaPort;
    }

    public int port(Service service) {
        return ports.get(service);
    }

    public String url(Service service) {
        return "http://" + connectHost() + ":" + port(service);
    }

    public String bootstrapServers() {
        return connectHost() + ":" + kafkaPort;
    }

    /** Refuses, up front, ports another process already listens on. */
    public void checkFree(Collection<Service> services) {
        Map<String, Integer> wanted = new LinkedHashMap<>();
        wanted.put("kafka", kafkaPort);
        services.forEach(s -> wanted.put(s.module(), port(s)));
        List<String> busy = new ArrayList<>();
        wanted.forEach((name, port) -> {
            if (!portFree(bindAddress, port)) {
                busy.add(name + " port " + port);
            }
        });
        if (!busy.isEmpty()) {
            throw new LocalStackException("Port(s) already in use: " + String.join(", ", busy)
                    + ". Is another stack running? Stop it, or choose other ports (e.g. --gateway-port, --kafka-port).");
        }
    }

    static boolean portFree(String host, int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName(host))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
