package io.splicelab.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splicelab.model.events.EventCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/** The option groups the commands share (picocli mixins), each turning its options into what it configures. */
final class CliOptions {
    private CliOptions() {
    }

    /** {@code 90s}, {@code 15m}, {@code 1h30m}, {@code PT20M}. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return Durations.parse(value);
        }
    }

    /** The gateway to talk to, checked before anything is sent ({@link GatewayUrl}). */
    static final class GatewayOption {
        @Option(names = "--gateway", paramLabel = "URL", defaultValue = Main.DEFAULT_GATEWAY,
                converter = GatewayUrl.Converter.class, description = "the gateway, http://HOST:PORT (default: "
                        + "${DEFAULT-VALUE})")
        String url;
    }

    /** A sub-command's {@code -h}/{@code --help}. */
    static final class Help {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "this command's options")
        boolean help;
    }

    /** The demo run's configuration (defaults give a run of a few minutes on 2 CPU cores). */
    static final class RunOptions {
        /** The demo's evaluation sets: one each of training, test and corrupted data (not the run default's five). */
        static final String DEMO_EVAL_SETS = "test,train,gaussian_noise-3";

        @Option(names = "--architecture", paramLabel = "A", defaultValue = "resnet20",
                description = "resnet20 | resnet32 | resnet56 | cnn | mlp (default: ${DEFAULT-VALUE}; cnn, mlp: 28x28 data)")
        String architecture;

        @Option(names = {"--width", "--width-multiplier"}, paramLabel = "X", defaultValue = "0.5",
                description = "width multiplier of the stages 16/32/64 (default: ${DEFAULT-VALUE})")
        double width;

        @Option(names = "--dataset", paramLabel = "D", defaultValue = "synthetic",
                description = "synthetic | fashion-mnist | mnist | cifar10 | cifar100 | svhn (default: ${DEFAULT-VALUE};"
                        + " the real ones read their official files, see trainer-service/README.md)")
        String dataset;

        @Option(names = "--steps", paramLabel = "N", defaultValue = "240", description = "SGD steps (default: ${DEFAULT-VALUE})")
        int steps;

        @Option(names = "--batch-size", paramLabel = "N", defaultValue = "64",
                description = "minibatch size (default: ${DEFAULT-VALUE})")
        int batchSize;

        @Option(names = {"--lr", "--learning-rate"}, paramLabel = "X", defaultValue = "0.05",
                description = "learning rate (default: ${DEFAULT-VALUE})")
        double learningRate;

        @Option(names = "--momentum", paramLabel = "X", defaultValue = "0.9",
                description = "SGD momentum (default: ${DEFAULT-VALUE})")
        double momentum;

        @Option(names = "--checkpoint-interval", paramLabel = "N", defaultValue = "60",
                description = "a checkpoint every N steps (default: ${DEFAULT-VALUE})")
        int checkpointInterval;

        @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
                description = "seed of initialisation, data and evaluation sets (default: ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--train-size", paramLabel = "N", defaultValue = "4000",
                description = "training examples (default: ${DEFAULT-VALUE})")
        int trainSize;

        @Option(names = "--eval-size", paramLabel = "N", defaultValue = "500",
                description = "evaluation subset of the hybrids (default: ${DEFAULT-VALUE})")
        int evalSize;

        @Option(names = "--eval-sets", paramLabel = "SETS", split = ",", defaultValue = DEMO_EVAL_SETS,
                description = "evaluation sets of the grid, comma-separated: test, train, train-noisy (with label "
                        + "noise), <corruption>-<severity> (default: ${DEFAULT-VALUE}: the paper's claim on training, "
                        + "test and corrupted data, at a third of the full default plan's cost)")
        List<String> evalSets;

        /** The run configuration as the gateway takes it ({@code POST /api/runs}). */
        String toJson() {
            ObjectNode c = EventCodec.mapper().createObjectNode();
            c.put("architecture", architecture);
            c.put("widthMultiplier", width);
            c.put("dataset", dataset);
            c.put("steps", steps);
            c.put("batchSize", batchSize);
            c.put("learningRate", learningRate);
            c.put("momentum", momentum);
            c.put("checkpointInterval", checkpointInterval);
            c.put("seed", seed);
            c.put("trainSize", trainSize);
            c.put("evalSize", evalSize);
            evalSets.forEach(c.putArray("evalSets")::add);
            return EventCodec.toJson(c);
        }
    }

    /** Where and how the local stack runs. */
    static final class StackOptions {
        @Option(names = "--stack-dir", paramLabel = "DIR",
                description = "Kafka data, artifacts, databases, logs (default: <repo>/.splicelab)")
        Path stackDir;

        @Option(names = "--fresh", description = "a new stack directory for this run: <repo>/.splicelab/runs/<time>")
        boolean fresh;

        @Option(names = "--bind", paramLabel = "ADDRESS",
                description = "interface the services and Kafka listen on (default: $" + StackPorts.BIND_ENV
                        + ", else 127.0.0.1, this machine only; 0.0.0.0: every interface)")
        String bind;

        @Option(names = "--kafka-port", paramLabel = "P", description = "(default: 9092)")
        Integer kafkaPort;

        @Option(names = "--gateway-port", paramLabel = "P", description = "(default: 8080)")
        Integer gatewayPort;

        @Option(names = "--trainer-port", paramLabel = "P", description = "(default: 8081)")
        Integer trainerPort;

        @Option(names = "--splicer-port", paramLabel = "P", description = "(default: 8082)")
        Integer splicerPort;

        @Option(names = "--stats-port", paramLabel = "P", description = "(default: 8083)")
        Integer statsPort;

        @Option(names = "--ready-timeout", paramLabel = "D", converter = DurationConverter.class,
                description = "wait this long for every service to be ready (default: 180s)")
        Duration readyTimeout;

        @Option(names = "--heap", paramLabel = "SERVICE=SIZE", description = "-Xmx of a service, e.g. --heap splicer=2g")
        List<String> heaps = new ArrayList<>();

        @Option(names = "--jvm-opt", paramLabel = "SERVICE=OPTION",
                description = "an extra JVM option of a service, e.g. --jvm-opt splicer=-XX:MaxDirectMemorySize=4g")
        List<String> jvmOptions = new ArrayList<>();

        @Option(names = "--prop", paramLabel = "SERVICE:KEY=VALUE",
                description = "an extra system property of a service (SERVICE 'all' for every one)")
        List<String> props = new ArrayList<>();

        @Option(names = "--max-restarts", paramLabel = "N", defaultValue = "" + RestartPolicy.DEFAULT_MAX_RESTARTS,
                description = "restarts of a child that exits or stays DOWN, within --restart-window, before the "
                        + "stack gives up on it (default: ${DEFAULT-VALUE}; 0: never restart)")
        int maxRestarts;

        @Option(names = "--restart-window", paramLabel = "D", defaultValue = "10m", converter = DurationConverter.class,
                description = "(default: ${DEFAULT-VALUE})")
        Duration restartWindow;

        @Option(names = "--down-grace", paramLabel = "D", defaultValue = "15m", converter = DurationConverter.class,
                description = "restart a service whose health answers DOWN this long (default: ${DEFAULT-VALUE}; "
                        + "a service that does not answer at all is restarted after 60s)")
        Duration downGrace;

        /** A builder with these options applied. */
        LocalStackBuilder builder() {
            LocalStackBuilder b = LocalStack.builder();
            if (stackDir != null) {
                b.stackDir(stackDir);
            }
            b.freshStackDir(fresh);
            if (bind != null) {
                b.bindAddress(bind);
            }
            if (kafkaPort != null) {
                b.kafkaPort(kafkaPort);
            }
            Map<Service, Integer> ports = new LinkedHashMap<>();
            ports.put(Service.GATEWAY, gatewayPort);
            ports.put(Service.TRAINER, trainerPort);
            ports.put(Service.SPLICER, splicerPort);
            ports.put(Service.STATS, statsPort);
            ports.forEach((s, p) -> {
                if (p != null) {
                    b.port(s, p);
                }
            });
            for (String h : heaps) {
                String[] kv = split(h, '=', "--heap wants SERVICE=SIZE, e.g. splicer=2g: ");
                b.heap(service(kv[0]), kv[1]);
            }
            for (String j : jvmOptions) {
                String[] kv = split(j, '=', "--jvm-opt wants SERVICE=OPTION, e.g. splicer=-XX:MaxDirectMemorySize=4g: ");
                b.jvmArgs(service(kv[0]), kv[1]);
            }
            for (String p : props) {
                String[] sk = split(p, ':', "--prop wants SERVICE:KEY=VALUE, e.g. trainer:quarkus.log.level=DEBUG: ");
                String[] kv = split(sk[1], '=', "--prop wants SERVICE:KEY=VALUE, e.g. trainer:quarkus.log.level=DEBUG: ");
                if (sk[0].equals("all")) {
                    b.systemPropertyForAll(kv[0], kv[1]);
                } else {
                    b.systemProperty(service(sk[0]), kv[0], kv[1]);
                }
            }
            b.restartPolicy(new RestartPolicy(maxRestarts, restartWindow, RestartPolicy.DEFAULT_UNREACHABLE_GRACE,
                    downGrace, RestartPolicy.DEFAULT_START_GRACE));
            return b;
        }

        private static String[] split(String text, char sep, String error) {
            int i = text.indexOf(sep);
            if (i < 1 || i == text.length() - 1) {
                throw new IllegalArgumentException(error + text);
            }
            return new String[] {text.substring(0, i), text.substring(i + 1)};
        }

        private static Service service(String name) {
            return Service.byName(name).orElseThrow(() -> new IllegalArgumentException("unknown service '" + name
                    + "' (trainer, splicer, stats, gateway)"));
        }
    }
}
