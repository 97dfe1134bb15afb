package io.splicelab.cka;

import io.splicelab.model.plugin.PluginSettings;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * The linear-CKA consumer as its own process:
 *
 * <pre>
 *   java -jar cka-consumer/target/cka-consumer.jar [--exit-when-idle=PT30S]
 * </pre>
 *
 * Settings (system property, or environment variable): {@code kafka.bootstrap.servers}
 * (KAFKA_BOOTSTRAP_SERVERS, default localhost:9092), {@code splicelab.artifacts.dir}
 * (SPLICELAB_ARTIFACTS_DIR, default ./.splicelab/artifacts), {@code splicelab.plugin.group-id}
 * (SPLICELAB_PLUGIN_GROUP_ID, default splicelab-plugin-linear-cka), {@code splicelab.plugin.auto-offset-reset}
 * (default earliest), {@code splicelab.cka.max-runs} (SPLICELAB_CKA_MAX_RUNS, default 8).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Duration idle = null;
        for (String a : args) {
            if (a.startsWith("--exit-when-idle=")) {
                try {
                    idle = Duration.parse(a.substring("--exit-when-idle=".length()));
                } catch (DateTimeParseException e) {
                    usage("not an ISO-8601 duration: " + a);
                }
            } else if (a.equals("-h") || a.equals("--help")) {
                usage(null);
            } else {
                usage("unknown argument " + a);
            }
        }
        int maxRuns = Integer.parseInt(PluginSettings.get("splicelab.cka.max-runs", "8"));
        CkaAnalysis analysis = new CkaAnalysis(maxRuns);
        KafkaPluginRunner runner = new KafkaPluginRunner(analysis, PluginSettings.load(analysis), idle);
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runner.close();
            try {
                main.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "cka-consumer-shutdown"));
        runner.run();
    }

    private static void usage(String error) {
        if (error != null) {
            System.err.println(error);
        }
        System.err.println("usage: java -jar cka-consumer.jar [--exit-when-idle=PT30S]");
        System.err.println("settings: -Dkafka.bootstrap.servers (KAFKA_BOOTSTRAP_SERVERS), -Dsplicelab.artifacts.dir "
                + "(SPLICELAB_ARTIFACTS_DIR), -Dsplicelab.plugin.group-id, -Dsplicelab.cka.max-runs");
        System.exit(error == null ? 0 : 2);
    }
}
