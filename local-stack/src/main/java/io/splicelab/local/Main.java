package io.splicelab.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splicelab.model.events.EventCodec;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code splicelab} command line: {@code demo} (start the stack, run a small experiment, follow it, print the
 * grid), {@code up} (start the stack until Ctrl-C) and {@code follow <runId>} (against any gateway).
 */
public final class Main {
    static final Duration DEFAULT_DEMO_TIMEOUT = Duration.ofMinutes(15);
    static final String DEFAULT_GATEWAY = "http://127.0.0.1:8080";

    static final String USAGE = """
            usage: splicelab <command> [options]

            commands
              demo                 start the local stack (Kafka + the four services), train a small demo run,
                                   follow it live, print the temporal-consistency grid, stop the stack
              up                   start the local stack and keep it running until Ctrl-C
              follow <runId>       follow a run on a gateway: live progress, then its grid
              help                 this text

            demo run (defaults give a run of a few minutes on 2 CPU cores)
              --architecture A     resnet20 | resnet32 | resnet56 | cnn | mlp (resnet20; cnn, mlp: 28x28 data)
              --width X            width multiplier of the stages 16/32/64   (0.5)
              --dataset D          synthetic | fashion-mnist | mnist | cifar10 | cifar100 | svhn
                                   (synthetic; the real ones read their official files, see
                                   trainer-service/README.md; Debian's dataset-fashion-mnist works as is)
              --steps N            SGD steps                                 (240)
              --batch-size N       minibatch size                            (64)
              --lr X               learning rate                             (0.05)
              --momentum X         SGD momentum                              (0.9)
              --checkpoint-interval N  a checkpoint every N steps            (60)
              --seed N             seed of initialisation, data and eval sets (1)
              --train-size N       training examples                         (4000)
              --eval-size N        evaluation subset of the hybrids          (500)
              --timeout D          give up following after D, e.g. 20m       (15m)
              --keep-running       leave the stack up after the demo (Ctrl-C stops it)
              --gateway URL        use an already running stack instead of starting one

            stack (demo, up)
              --stack-dir DIR      Kafka data, artifacts, databases, logs    (<repo>/.splicelab)
              --fresh              a new stack directory for this run: <repo>/.splicelab/runs/<time>
              --kafka-port P       (9092)   --gateway-port P (8080)   --trainer-port P (8081)
              --splicer-port P     (8082)   --stats-port P   (8083)
              --ready-timeout D    wait this long for every service to be ready (180s)
              --heap SERVICE=SIZE  -Xmx of a service, e.g. --heap splicer=2g
              --prop SERVICE:KEY=VALUE  extra system property of a service (SERVICE 'all' for every one)

            follow
              --gateway URL        (http://127.0.0.1:8080)
              --timeout D          give up after D (no limit)
              --plain              one line per 10% instead of a live progress line

            The repository is -Dsplicelab.home, else the current directory or a parent of it.
            """;

    private static final Set<String> FLAGS = Set.of("keep-running", "fresh", "plain", "help");
    static final Set<String> RUN_OPTIONS = Set.of("architecture", "width", "width-multiplier", "dataset", "steps",
            "batch-size", "lr", "learning-rate", "momentum", "checkpoint-interval", "seed", "train-size", "eval-size");
    static final Set<String> STACK_OPTIONS = Set.of("stack-dir", "fresh", "kafka-port", "gateway-port",
            "trainer-port", "splicer-port", "stats-port", "ready-timeout", "heap", "prop");
    static final Set<String> FOLLOW_OPTIONS = Set.of("gateway", "timeout", "plain");

    private Main() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        System.out.flush();
        System.exit(code);
    }

    /** Runs a command; returns the process exit code (0 ok, 1 failed, 2 usage). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Args a;
        try {
            a = Args.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        if (a.positional.isEmpty() || a.flag("help") || a.positional.get(0).equals("help")) {
            out.print(USAGE);
            return a.positional.isEmpty() && !a.flag("help") ? 2 : 0;
        }
        String command = a.positional.get(0);
        try {
            return switch (command) {
                case "demo" -> demo(a, out, err);
                case "up" -> up(a, out);
                case "follow" -> follow(a, out, err);
                default -> {
                    err.println("error: unknown command '" + command + "'");
                    err.print(USAGE);
                    yield 2;
                }
            };
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (LocalStackException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("interrupted");
            return 1;
        }
    }

    // ---------------------------------------------------------------- commands

    static int demo(Args a, PrintStream out, PrintStream err) throws InterruptedException {
        a.onlyPositional(1);
        a.allow(RUN_OPTIONS, STACK_OPTIONS, FOLLOW_OPTIONS, Set.of("keep-running"));
        String config = demoConfig(a);
        Duration timeout = a.duration("timeout", DEFAULT_DEMO_TIMEOUT);
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean keepRunning = a.flag("keep-running");
        String gateway = a.value("gateway");
        LocalStack stack = null;
        if (gateway == null) {
            LocalStack.Builder b = stackBuilder(a);
            Duration ready = a.duration("ready-timeout", LocalStack.DEFAULT_READY_TIMEOUT);
            b.readyTimeout(ready.compareTo(timeout) < 0 ? ready : timeout);
            stack = b.build();
            stack.start();
            gateway = stack.gatewayUrl();
            System.setProperty("splicelab.api.token", stack.apiToken());
        }
        try {
            RunFollower follower = follower(a, gateway);
            if (stack != null) {
                follower.logDir(stack.logDir());
            }
            GatewayClient.Submitted run;
            try {
                run = follower.client().submit(config);
            } catch (GatewayClient.GatewayException e) {
                err.println("error: " + e.getMessage());
                return 1;
            } catch (java.io.IOException e) {
                err.println("error: cannot reach the gateway at " + gateway + ": " + RunFollower.describe(e));
                return 1;
            }
            out.println("submitted demo run " + run.runId() + ": " + config);
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            RunFollower.Result result = follower.follow(run.runId(), left);
            if (stack != null && keepRunning) {
                out.println();
                out.println("the stack keeps running at " + stack.gatewayUrl() + "; press Ctrl-C to stop it");
                waitUntilInterrupted(stack, out);
            } else if (stack != null) {
                out.println("(the stack stops now; --keep-running leaves it up to explore the URLs above)");
            }
            return result.exitCode();
        } finally {
            if (stack != null) {
                stack.close();
            }
        }
    }

    static int up(Args a, PrintStream out) throws InterruptedException {
        a.onlyPositional(1);
        a.allow(RUN_OPTIONS, STACK_OPTIONS);
        LocalStack stack = stackBuilder(a).readyTimeout(a.duration("ready-timeout", LocalStack.DEFAULT_READY_TIMEOUT))
                .build();
        try (stack) {
            stack.start();
            System.setProperty("splicelab.api.token", stack.apiToken());
            out.println();
            out.println("splicelab stack is up");
            out.printf("  %-18s %s%n", "gateway", stack.gatewayUrl());
            out.printf("  %-18s %s%n", "API (Swagger UI)", stack.gatewayUrl() + "/q/swagger-ui");
            for (Service s : stack.services()) {
                if (s != Service.GATEWAY) {
                    out.printf("  %-18s %s%n", s.module(), stack.url(s));
                }
            }
            out.printf("  %-18s %s%n", "Kafka", stack.bootstrapServers());
            out.printf("  %-18s %s%n", "logs", stack.logDir());
            out.println();
            out.println("start a run:  curl -i -H 'Content-Type: application/json' -d '" + demoConfig(a) + "' "
                    + stack.gatewayUrl() + "/api/runs");
            out.println("follow it:    ./splicelab follow <runId>" + (stack.port(Service.GATEWAY) == 8080 ? ""
                    : " --gateway " + stack.gatewayUrl()));
            out.println("press Ctrl-C to stop the stack");
            waitUntilInterrupted(stack, out);
            return 0;
        }
    }

    static int follow(Args a, PrintStream out, PrintStream err) throws InterruptedException {
        if (a.positional.size() < 2) {
            throw new IllegalArgumentException("follow needs a run id: splicelab follow <runId> [--gateway URL]");
        }
        a.onlyPositional(2);
        a.allow(FOLLOW_OPTIONS);
        String runId = a.positional.get(1);
        String gateway = a.value("gateway", DEFAULT_GATEWAY);
        Duration timeout = a.duration("timeout", Duration.ofDays(365));
        RunFollower.Result r = follower(a, gateway).follow(runId, timeout);
        return r.exitCode();
    }

    private static RunFollower follower(Args a, String gateway) {
        return new RunFollower(gateway, System.out, ProgressRenderer.forStdout(a.flag("plain")));
    }

    /** Blocks until Ctrl-C (the shutdown hook stops the stack); warns once about any service that dies. */
    private static void waitUntilInterrupted(LocalStack stack, PrintStream out) throws InterruptedException {
        Set<Service> reported = java.util.EnumSet.noneOf(Service.class);
        while (true) {
            Thread.sleep(2000);
            stack.exitedServices().forEach((s, code) -> {
                if (reported.add(s)) {
                    out.println("warning: " + s.module() + " exited with code " + code + "; see " + stack.logFile(s));
                }
            });
        }
    }

    // ---------------------------------------------------------------- options

    /** The demo's run configuration, with any flag overriding its field. */
    static String demoConfig(Args a) {
        ObjectNode c = EventCodec.mapper().createObjectNode();
        c.put("architecture", a.value("architecture", "resnet20"));
        c.put("widthMultiplier", a.dbl("width", a.dbl("width-multiplier", 0.5)));
        c.put("dataset", a.value("dataset", "synthetic"));
        c.put("steps", a.integer("steps", 240));
        c.put("batchSize", a.integer("batch-size", 64));
        c.put("learningRate", a.dbl("lr", a.dbl("learning-rate", 0.05)));
        c.put("momentum", a.dbl("momentum", 0.9));
        c.put("checkpointInterval", a.integer("checkpoint-interval", 60));
        c.put("seed", a.lng("seed", 1));
        c.put("trainSize", a.integer("train-size", 4000));
        c.put("evalSize", a.integer("eval-size", 500));
        return EventCodec.toJson(c);
    }

    static LocalStack.Builder stackBuilder(Args a) {
        LocalStack.Builder b = LocalStack.builder();
        String dir = a.value("stack-dir");
        if (dir != null) {
            b.stackDir(Path.of(dir));
        }
        b.freshStackDir(a.flag("fresh"));
        if (a.value("kafka-port") != null) {
            b.kafkaPort(a.integer("kafka-port", LocalStack.DEFAULT_KAFKA_PORT));
        }
        for (Service s : Service.values()) {
            String key = s.module().replace("-service", "") + "-port";
            if (a.value(key) != null) {
                b.port(s, a.integer(key, s.defaultPort()));
            }
        }
        for (String h : a.values("heap")) {
            int eq = h.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("--heap wants SERVICE=SIZE, e.g. splicer=2g: " + h);
            }
            b.heap(service(h.substring(0, eq)), h.substring(eq + 1));
        }
        for (String p : a.values("prop")) {
            int colon = p.indexOf(':');
            int eq = p.indexOf('=', Math.max(colon, 0));
            if (colon < 1 || eq < colon + 2) {
                throw new IllegalArgumentException("--prop wants SERVICE:KEY=VALUE, e.g. trainer:quarkus.log.level=DEBUG: "
                        + p);
            }
            String svc = p.substring(0, colon);
            String key = p.substring(colon + 1, eq);
            String value = p.substring(eq + 1);
            if (svc.equals("all")) {
                b.systemPropertyForAll(key, value);
            } else {
                b.systemProperty(service(svc), key, value);
            }
        }
        return b;
    }

    private static Service service(String name) {
        return Service.byName(name).orElseThrow(() -> new IllegalArgumentException("unknown service '" + name
                + "' (trainer, splicer, stats, gateway)"));
    }

    private static final Pattern DURATION = Pattern.compile("(?i)(\\d+)\\s*(ms|s|min|m|h|d)?");

    /** {@code 90}, {@code 90s}, {@code 15m}, {@code 1h}, {@code 500ms} or ISO-8601 {@code PT15M}. */
    static Duration parseDuration(String text) {
        String t = text.trim();
        if (t.toUpperCase(Locale.ROOT).startsWith("P")) {
            try {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("not a duration: " + text);
            }
        }
        Duration total = Duration.ZERO;
        Matcher m = DURATION.matcher(t);
        int pos = 0;
        while (pos < t.length() && m.find(pos) && m.start() == pos) {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
            total = total.plus(switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "m", "min" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofSeconds(n);
            });
            pos = m.end();
        }
        if (pos != t.length() || t.isEmpty()) {
            throw new IllegalArgumentException("not a duration: " + text + " (e.g. 90s, 15m, 1h)");
        }
        return total;
    }

    /** {@code 15m}, {@code 1h30m}, {@code 90s} -> {@code 1m30s}. */
    static String formatDuration(Duration d) {
        long s = d.toSeconds();
        if (s == 0) {
            return d.toMillis() + "ms";
        }
        StringBuilder b = new StringBuilder();
        if (s >= 86400) {
            b.append(s / 86400).append('d');
            s %= 86400;
        }
        if (s >= 3600) {
            b.append(s / 3600).append('h');
            s %= 3600;
        }
        if (s >= 60) {
            b.append(s / 60).append('m');
            s %= 60;
        }
        if (s > 0) {
            b.append(s).append('s');
        }
        return b.toString();
    }

    /** The command line: positional words, {@code --name value} / {@code --name=value} options, flags. */
    static final class Args {
        final List<String> positional = new ArrayList<>();
        final Map<String, List<String>> options = new LinkedHashMap<>();

        static Args parse(String[] args) {
            Args a = new Args();
            for (int i = 0; i < args.length; i++) {
                String s = args[i];
                if (s.startsWith("--") && s.length() > 2) {
                    String name = s.substring(2);
                    String value;
                    int eq = name.indexOf('=');
                    if (eq >= 0) {
                        value = name.substring(eq + 1);
                        name = name.substring(0, eq);
                    } else if (FLAGS.contains(name)) {
                        value = "true";
                    } else if (i + 1 < args.length) {
                        value = args[++i];
                    } else {
                        throw new IllegalArgumentException("--" + name + " needs a value");
                    }
                    a.options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
                } else if (s.equals("-h")) {
                    a.options.computeIfAbsent("help", k -> new ArrayList<>()).add("true");
                } else {
                    a.positional.add(s);
                }
            }
            return a;
        }

        void onlyPositional(int n) {
            if (positional.size() > n) {
                throw new IllegalArgumentException("unexpected argument '" + positional.get(n) + "'");
            }
        }

        @SafeVarargs
        final void allow(Set<String>... allowed) {
            for (String name : options.keySet()) {
                if (!name.equals("help") && java.util.Arrays.stream(allowed).noneMatch(set -> set.contains(name))) {
                    throw new IllegalArgumentException("unknown option --" + name + " (see: splicelab help)");
                }
            }
        }

        boolean flag(String name) {
            List<String> v = options.get(name);
            return v != null && !v.isEmpty() && !v.get(v.size() - 1).equalsIgnoreCase("false");
        }

        String value(String name) {
            List<String> v = options.get(name);
            return v == null || v.isEmpty() ? null : v.get(v.size() - 1);
        }

        String value(String name, String fallback) {
            String v = value(name);
            return v == null ? fallback : v;
        }

        List<String> values(String name) {
            return options.getOrDefault(name, List.of());
        }

        int integer(String name, int fallback) {
            String v = value(name);
            try {
                return v == null ? fallback : Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " wants a whole number: " + v);
            }
        }

        long lng(String name, long fallback) {
            String v = value(name);
            try {
                return v == null ? fallback : Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " wants a whole number: " + v);
            }
        }

        double dbl(String name, double fallback) {
            String v = value(name);
            try {
                return v == null ? fallback : Double.parseDouble(v.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " wants a number: " + v);
            }
        }

        Duration duration(String name, Duration fallback) {
            String v = value(name);
            return v == null ? fallback : parseDuration(v);
        }
    }
}
