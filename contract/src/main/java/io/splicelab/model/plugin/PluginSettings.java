package io.splicelab.model.plugin;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Settings of a plugged-in consumer process, read like the services read theirs: a system property
 * ({@code -Dkafka.bootstrap.servers=...}) wins over the environment variable of the same name in the
 * MicroProfile/Quarkus mapping ({@code KAFKA_BOOTSTRAP_SERVERS}), which wins over the default.
 *
 * @param bootstrapServers {@code kafka.bootstrap.servers}, default {@code localhost:9092}
 * @param groupId {@code splicelab.plugin.group-id}, default {@code splicelab-plugin-<name>}
 * @param artifactsDir {@code splicelab.artifacts.dir}, default {@code ./.splicelab/artifacts}
 * @param offsetReset {@code splicelab.plugin.auto-offset-reset}, default {@code earliest} (replay history)
 */
public record PluginSettings(String bootstrapServers, String groupId, Path artifactsDir, String offsetReset) {

    public static final String BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";
    public static final String GROUP_ID = "splicelab.plugin.group-id";
    public static final String ARTIFACTS_DIR = "splicelab.artifacts.dir";
    public static final String OFFSET_RESET = "splicelab.plugin.auto-offset-reset";

    /** The settings of a consumer from this process's system properties and environment. */
    public static PluginSettings load(AnalysisConsumer consumer) {
        return load(consumer, System.getenv());
    }

    static PluginSettings load(AnalysisConsumer consumer, Map<String, String> env) {
        return new PluginSettings(get(BOOTSTRAP_SERVERS, "localhost:9092", env),
                get(GROUP_ID, EventDispatcher.defaultGroupId(consumer), env),
                Path.of(get(ARTIFACTS_DIR, "./.splicelab/artifacts", env)),
                get(OFFSET_RESET, "earliest", env));
    }

    /** A setting: system property, then environment variable ({@link #envName}), then the default. */
    public static String get(String key, String defaultValue) {
        return get(key, defaultValue, System.getenv());
    }

    static String get(String key, String defaultValue, Map<String, String> env) {
        String v = System.getProperty(key);
        if (v == null || v.isBlank()) {
            v = env.get(envName(key));
        }
        return v == null || v.isBlank() ? defaultValue : v;
    }

    /**
     * The environment variable of a configuration key as MicroProfile Config maps it: every character
     * other than a letter or digit becomes {@code _}, and the result is upper case
     * ({@code kafka.bootstrap.servers} -> {@code KAFKA_BOOTSTRAP_SERVERS}).
     */
    public static String envName(String key) {
        StringBuilder sb = new StringBuilder(key.length());
        for (char c : key.toCharArray()) {
            sb.append(Character.isLetterOrDigit(c) && c < 128 ? c : '_');
        }
        return sb.toString().toUpperCase(Locale.ROOT);
    }
}
