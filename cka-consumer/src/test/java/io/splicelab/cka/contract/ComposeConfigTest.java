package io.splicelab.cka.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splicelab.model.plugin.PluginSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml against the services it runs: every environment variable the file sets on a service is a
 * real configuration key of that service (MicroProfile/Quarkus environment-variable mapping against the keys of
 * its application.properties, the names its expressions read, and the Quarkus keys listed here), or one of the
 * listed process variables; every container has a health check; dependencies wait for health; only the gateway
 * is published; every interpolated variable has a default and is documented in the file's header.
 */
class ComposeConfigTest {
    /** Compose service -> Maven module whose application.properties it runs. */
    static final Map<String, String> MODULES = Map.of("trainer", "trainer-service", "splicer", "splicer-service",
            "splicer-gpu", "splicer-service", "stats", "stats-service", "gateway", "gateway");

    /** Quarkus keys the compose file may set although the services' application.properties do not. */
    static final Set<String> QUARKUS_KEYS = Set.of("quarkus.http.port", "quarkus.log.level",
            "quarkus.datasource.jdbc.url", "quarkus.datasource.username", "quarkus.datasource.password",
            "quarkus.datasource.jdbc.max-size", "quarkus.hibernate-orm.schema-management.strategy");

    /** Variables of the process, read by the JVM launcher, DJL or oneDNN, not by the configuration. */
    static final Set<String> PROCESS_VARIABLES = Set.of("JAVA_OPTS", "OPT_OUT_TRACKING", "DNNL_MAX_CPU_ISA", "ATEN_CPU_CAPABILITY",
            "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_",
            "DJL_CACHE_DIR", "ENGINE_CACHE_DIR", "PYTORCH_LIBRARY_PATH", "PYTORCH_VERSION", "PYTORCH_FLAVOR",
            "NVIDIA_VISIBLE_DEVICES", "NVIDIA_DRIVER_CAPABILITIES");

    /** The settings of the example CKA consumer (PluginSettings and its Main). */
    static final Set<String> CKA_KEYS = Set.of(PluginSettings.BOOTSTRAP_SERVERS, PluginSettings.ARTIFACTS_DIR,
            PluginSettings.GROUP_ID, PluginSettings.OFFSET_RESET, "splicelab.cka.max-runs");

    static final Set<String> DJL_SERVICES = Set.of("trainer", "splicer", "splicer-gpu", "stats", "gateway");
    static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^:}]+)");
    static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:?-)?");

    static Path root;
    static String text;
    static Map<String, Object> compose;
    static Map<String, Map<String, Object>> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        root = Repo.root();
        text = Files.readString(root.resolve("docker-compose.yml"));
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(200);
        try (Reader r = Files.newBufferedReader(root.resolve("docker-compose.yml"), StandardCharsets.UTF_8)) {
            compose = new Yaml(options).load(r);
        }
        services = (Map<String, Map<String, Object>>) compose.get("services");
    }

    @Test
    void everyEnvironmentVariableIsARealConfigurationKeyOfItsService() throws IOException {
        List<String> unknown = new ArrayList<>();
        int checked = 0;
        for (var e : services.entrySet()) {
            String service = e.getKey();
            Set<String> known;
            if (MODULES.containsKey(service)) {
                known = configKeys(root.resolve(MODULES.get(service)).resolve("src/main/resources/application.properties"));
                known.addAll(QUARKUS_KEYS);
            } else if (service.equals("cka")) {
                known = new LinkedHashSet<>(CKA_KEYS);
            } else {
                continue; // third-party images (kafka, postgres) have their own variables
            }
            Set<String> envNames = new TreeSet<>();
            known.forEach(k -> envNames.add(PluginSettings.envName(k)));
            for (String variable : environment(e.getValue()).keySet()) {
                checked++;
                if (!envNames.contains(variable) && !PROCESS_VARIABLES.contains(variable)) {
                    unknown.add(service + ": " + variable);
                }
            }
        }
        assertTrue(checked > 20, "the services set their configuration through the environment: " + checked);
        assertTrue(unknown.isEmpty(), "variables that are no configuration key of their service: " + unknown);
    }

    @Test
    void theMappingFollowsQuarkusRules() {
        assertEquals("KAFKA_BOOTSTRAP_SERVERS", PluginSettings.envName("kafka.bootstrap.servers"));
        assertEquals("SPLICELAB_STATS_CLASS_OVERLAP_GRID_SIZE",
                PluginSettings.envName("splicelab.stats.class-overlap.grid-size"));
        assertEquals("QUARKUS_LOG_CATEGORY__ORG_APACHE_KAFKA__LEVEL",
                PluginSettings.envName("quarkus.log.category.\"org.apache.kafka\".level"));
    }

    @Test
    void djlServicesRunOfflineWithTheBestInstructionSetAndTheirImagesToo() throws IOException {
        for (String s : DJL_SERVICES) {
            Map<String, String> env = environment(services.get(s));
            assertEquals("true", env.get("OPT_OUT_TRACKING"), s);
            // the trainer too: channels-last batches avoid oneDNN's backward fault (docs/science.md section 8)
            String isa = String.valueOf(env.get("DNNL_MAX_CPU_ISA"));
            assertTrue(isa.contains("ALL"), s + ": " + isa);
            // glibc keeps freed activations in its arenas (DjlOffline.launchEnvironment, docs/science.md section 9)
            assertEquals("33554432", String.valueOf(env.get("MALLOC_MMAP_THRESHOLD_")), s);
            assertEquals("268435456", String.valueOf(env.get("MALLOC_TRIM_THRESHOLD_")), s);
        }
        for (String module : Set.of("trainer-service", "splicer-service", "stats-service", "gateway")) {
            String dockerfile = Files.readString(root.resolve(module).resolve("src/main/docker/Dockerfile.jvm"));
            assertTrue(dockerfile.contains("-Dai.djl.offline=true"), module);
            assertTrue(dockerfile.contains("OPT_OUT_TRACKING=true"), module);
            assertTrue(dockerfile.contains("DNNL_MAX_CPU_ISA=ALL") && !dockerfile.contains("=AVX2"), module);
            assertTrue(dockerfile.contains("MALLOC_MMAP_THRESHOLD_=33554432")
                    && dockerfile.contains("MALLOC_TRIM_THRESHOLD_=268435456"), module);
            assertTrue(dockerfile.contains("FROM ${MAVEN_IMAGE} AS build") && dockerfile.contains("-pl " + module + " -am"),
                    module + " builds itself from the repository root");
        }
        for (String module : Set.of("stats-service", "gateway")) {
            String dockerfile = Files.readString(root.resolve(module).resolve("src/main/docker/Dockerfile.jvm"));
            assertTrue(dockerfile.contains("-Dquarkus.datasource.db-kind=${DB_KIND}")
                    && dockerfile.contains("ARG DB_KIND=postgresql"), module + " is built for PostgreSQL");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyContainerIsHealthCheckedAndDependenciesWaitForHealth() {
        for (var e : services.entrySet()) {
            Map<String, Object> health = (Map<String, Object>) e.getValue().get("healthcheck");
            assertNotNull(health, e.getKey() + " has a health check");
            assertNotNull(health.get("test"), e.getKey());
            Object deps = e.getValue().get("depends_on");
            if (deps != null) {
                assertTrue(deps instanceof Map, e.getKey() + ": depends_on with conditions");
                for (var d : ((Map<String, Map<String, Object>>) deps).entrySet()) {
                    assertEquals("service_healthy", d.getValue().get("condition"), e.getKey() + " -> " + d.getKey());
                    assertTrue(services.containsKey(d.getKey()));
                }
            }
        }
        for (String s : List.of("trainer", "splicer", "stats", "gateway")) {
            assertNotNull(services.get(s).get("depends_on"), s + " waits for Kafka");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void onlyTheGatewayIsPublishedAndTheArtifactVolumeIsShared() {
        for (var e : services.entrySet()) {
            assertEquals(e.getKey().equals("gateway"), e.getValue().containsKey("ports"), e.getKey() + " ports");
        }
        for (String s : List.of("trainer", "splicer", "splicer-gpu", "stats")) {
            List<String> volumes = (List<String>) services.get(s).get("volumes");
            assertTrue(volumes.stream().anyMatch(v -> v.startsWith("artifacts:/data/artifacts")), s);
            assertEquals("/data/artifacts", environment(services.get(s)).get("SPLICELAB_ARTIFACTS_DIR"), s);
        }
        assertTrue(((Map<String, Object>) compose.get("volumes")).containsKey("artifacts"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theGpuProfileGivesTheSplicerAGpuAndTheCudaFlavour() {
        Map<String, Object> gpu = services.get("splicer-gpu");
        assertEquals(List.of("gpu"), gpu.get("profiles"));
        Map<String, Object> build = (Map<String, Object>) gpu.get("build");
        assertEquals("cu128", ((Map<String, Object>) build.get("args")).get("TORCH_FLAVOR"));
        Map<String, Object> device = ((List<Map<String, Object>>) ((Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) gpu
                .get("deploy")).get("resources")).get("reservations")).get("devices")).get(0);
        assertEquals("nvidia", device.get("driver"));
        assertEquals(List.of("gpu"), device.get("capabilities"));
        assertFalse(services.get("splicer").containsKey("profiles"), "the CPU splicer runs by default");
    }

    @Test
    void everyInterpolatedVariableHasADefaultAndIsDocumented() {
        String header = text.substring(0, text.indexOf("\nservices:"));
        Matcher m = INTERPOLATION.matcher(text);
        Set<String> variables = new TreeSet<>();
        while (m.find()) {
            variables.add(m.group(1));
            assertNotNull(m.group(2), "${" + m.group(1) + "} has a default (${VAR:-default})");
        }
        assertTrue(variables.size() > 15, "settings are overridable: " + variables);
        for (String v : variables) {
            assertTrue(Pattern.compile("(?m)^# " + v + "\\s").matcher(header).find(),
                    v + " is documented in the header of docker-compose.yml");
        }
    }

    // ------------------------------------------------------------------ helpers

    @SuppressWarnings("unchecked")
    static Map<String, String> environment(Map<String, Object> service) {
        Object env = service.get("environment");
        Map<String, String> out = new LinkedHashMap<>();
        if (env instanceof Map<?, ?> map) {
            map.forEach((k, v) -> out.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
        } else if (env instanceof List<?> list) {
            for (Object item : list) {
                String s = String.valueOf(item);
                int eq = s.indexOf('=');
                out.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? null : s.substring(eq + 1));
            }
        }
        return out;
    }

    /**
     * The keys of an application.properties (profile prefixes removed) and every name its expressions read
     * ({@code ${KAFKA_BOOTSTRAP_SERVERS:...}}, {@code ${splicelab.data.dir:...}}).
     */
    static Set<String> configKeys(Path properties) throws IOException {
        Set<String> keys = new LinkedHashSet<>();
        for (String line : Files.readAllLines(properties, StandardCharsets.UTF_8)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#") || l.startsWith("!")) {
                continue;
            }
            int eq = l.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = l.substring(0, eq).strip();
            if (key.startsWith("%")) {
                key = key.substring(key.indexOf('.') + 1);
            }
            keys.add(key);
            Matcher m = EXPRESSION.matcher(l.substring(eq + 1));
            while (m.find()) {
                String name = m.group(1);
                keys.add(name.equals(name.toUpperCase(Locale.ROOT)) ? name.toLowerCase(Locale.ROOT).replace('_', '.')
                        : name);
            }
        }
        return keys;
    }
}
