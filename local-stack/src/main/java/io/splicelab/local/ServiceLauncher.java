package io.splicelab.local;

import io.splicelab.model.djl.DjlOffline;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How one service of the stack is started: its command line ({@code java -Xmx.. <JVM options> <DJL offline
 * switches> <wiring> <extra properties> -jar <module>/target/quarkus-app/quarkus-run.jar}), its environment (the
 * API token, DJL's cache) and its log. The same for a first start and a restart.
 */
public final class ServiceLauncher {
    private final StackLayout layout;
    private final StackPorts ports;
    private final String bootstrapServers;
    private final Set<Service> services;
    private final ApiToken token;
    private final Map<Service, String> heaps;
    private final Map<Service, List<String>> jvmArgs;
    private final Map<Service, Map<String, String>> properties;

    ServiceLauncher(StackLayout layout, StackPorts ports, String bootstrapServers, Set<Service> services,
            ApiToken token, Map<Service, String> heaps, Map<Service, List<String>> jvmArgs,
            Map<Service, Map<String, String>> properties) {
        this.layout = layout;
        this.ports = ports;
        this.bootstrapServers = bootstrapServers;
        this.services = Set.copyOf(services);
        this.token = token;
        this.heaps = new EnumMap<>(heaps);
        this.jvmArgs = new EnumMap<>(Service.class);
        jvmArgs.forEach((s, a) -> this.jvmArgs.put(s, List.copyOf(a)));
        this.properties = new EnumMap<>(Service.class);
        properties.forEach((s, p) -> this.properties.put(s, new LinkedHashMap<>(p)));
    }

    public List<String> commandLine(Service service) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + heaps.getOrDefault(service, service.defaultHeap()));
        cmd.addAll(jvmArgs.getOrDefault(service, List.of()));
        cmd.addAll(service.defaultJvmOptions());
        cmd.add("-Dai.djl.offline=true");
        cmd.add("-DOPT_OUT_TRACKING=true");
        cmd.add("-DDJL_CACHE_DIR=" + layout.djlCacheDir());
        cmd.add("-DENGINE_CACHE_DIR=" + layout.djlCacheDir());
        cmd.add("-Dkafka.bootstrap.servers=" + bootstrapServers);
        cmd.add("-Dsplicelab.artifacts.dir=" + layout.artifactsDir());
        cmd.add("-Dsplicelab.data.dir=" + layout.dataDir());
        cmd.add("-Dquarkus.http.host=" + ports.bindAddress());
        cmd.add("-Dquarkus.http.port=" + ports.port(service));
        properties.getOrDefault(service, Map.of()).forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(layout.packagedApp(service).toString());
        return cmd;
    }

    /**
     * The environment a service gets on top of this JVM's: the API token for the services that guard endpoints
     * with it (the gateway, and the splicer's and stats service's compute endpoints), where the gateway finds the
     * other services (the stats service's analyses, everyone's health), and DJL's offline switches and cache.
     */
    public Map<String, String> environment(Service service) {
        Map<String, String> env = new LinkedHashMap<>();
        if (service == Service.GATEWAY || service == Service.SPLICER || service == Service.STATS) {
            env.put(ApiToken.ENV, token.value());
        }
        if (service == Service.GATEWAY) {
            // where the gateway finds the stats service, and whose health GET /api/services reports
            if (services.contains(Service.STATS)) {
                env.put("SPLICELAB_STATS_URL", ports.url(Service.STATS));
            }
            if (services.contains(Service.TRAINER)) {
                env.put("SPLICELAB_TRAINER_URL", ports.url(Service.TRAINER));
            }
            if (services.contains(Service.SPLICER)) {
                env.put("SPLICELAB_SPLICER_URL", ports.url(Service.SPLICER));
            }
        }
        env.putAll(DjlOffline.launchEnvironment());
        env.put("DJL_CACHE_DIR", layout.djlCacheDir().toString());
        env.put("ENGINE_CACHE_DIR", layout.djlCacheDir().toString());
        return env;
    }

    /**
     * Starts the service, its output going to its log.
     *
     * @param restart append to the log (keeping the lines of the crash) instead of starting it afresh
     */
    public Process start(Service service, boolean restart) {
        List<String> cmd = commandLine(service);
        Path log = layout.logFile(service);
        try {
            LogFiles.header(log, cmd, restart);
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(layout.stackDir().toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().putAll(environment(service));
            return pb.start();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new LocalStackException("could not start " + service.module() + ": " + e.getMessage(), e);
        }
    }
}
