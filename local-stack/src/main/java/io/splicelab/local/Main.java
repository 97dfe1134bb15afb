package io.splicelab.local;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The {@code splicelab} command line (picocli): {@code demo} (start the stack, run a small experiment, follow
 * it, print the grid), {@code claims} (start the stack, run the experiment that tests the paper's four claims, follow
 * it, write and print its report), {@code up} (start the stack until Ctrl-C), {@code follow <runId>} (against any
 * gateway), {@code runs} (a table of the runs), {@code export <runId>} (download its bundle) and {@code help} (every
 * command with every option). Exit codes: 0 done, 1 failed, 2 usage error (a bad gateway URL included).
 */
@Command(name = "splicelab", synopsisSubcommandLabel = "COMMAND",
        description = "Start the local stack (Kafka + the four services), run and follow experiments.",
        footer = {"", "The repository is -Dsplicelab.home, else the current directory or a parent of it."},
        subcommands = {Main.Demo.class, Main.Claims.class, Main.Up.class, Main.Follow.class, Main.Runs.class,
            Main.Export.class, Main.Help.class})
public final class Main implements Callable<Integer> {
    static final Duration DEFAULT_DEMO_TIMEOUT = Duration.ofMinutes(15);
    static final String DEFAULT_GATEWAY = "http://127.0.0.1:8080";

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "this text")
    boolean help;

    private Main() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        System.out.flush();
        System.exit(code);
    }

    /** Runs a command; returns the process exit code (0 ok, 1 failed, 2 usage). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        return commandLine(out, err).execute(args);
    }

    /** The parser with its error handling: usage errors name the problem and exit 2; failures exit 1. */
    static CommandLine commandLine(PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter e = ex.getCommandLine().getErr();
            e.println("error: " + ex.getMessage());
            e.println("(see: splicelab help)");
            e.flush();
            return CommandLine.ExitCode.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            PrintWriter e = line.getErr();
            e.println("error: " + ex.getMessage());
            e.flush();
            return ex instanceof IllegalArgumentException ? CommandLine.ExitCode.USAGE : CommandLine.ExitCode.SOFTWARE;
        });
        return cl;
    }

    /** No command: the usage, as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return CommandLine.ExitCode.USAGE;
    }

    // ---------------------------------------------------------------- commands

    /** Start the stack, train a small run, follow it live, print its grid, stop the stack. */
    @Command(name = "demo", sortOptions = false,
            description = "start the local stack (Kafka + the four services), train a small demo run, follow it live, "
                    + "print the temporal-consistency grid, stop the stack")
    static final class Demo implements Callable<Integer> {
        @Mixin
        CliOptions.Help help;
        @Mixin
        CliOptions.RunOptions run;
        @Mixin
        CliOptions.StackOptions stack;

        @Option(names = "--timeout", paramLabel = "D", defaultValue = "15m", converter = CliOptions.DurationConverter.class,
                description = "give up following after D (default: ${DEFAULT-VALUE})")
        Duration timeout;

        @Option(names = "--keep-running", description = "leave the stack up after the demo (Ctrl-C stops it)")
        boolean keepRunning;

        @Option(names = "--gateway", paramLabel = "URL", converter = GatewayUrl.Converter.class,
                description = "use an already running stack instead of starting one (http://HOST:PORT)")
        String gateway;

        @Option(names = "--plain", description = "one line per 10%% instead of a live progress line")
        boolean plain;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            PrintStream out = System.out;
            String config = run.toJson();
            long deadline = System.nanoTime() + timeout.toNanos();
            LocalStack local = null;
            String url = gateway;
            if (url == null) {
                LocalStackBuilder b = stack.builder();
                Duration ready = stack.readyTimeout != null ? stack.readyTimeout : LocalStack.DEFAULT_READY_TIMEOUT;
                b.readyTimeout(ready.compareTo(timeout) < 0 ? ready : timeout);
                local = b.build();
                local.start();
                url = local.gatewayUrl();
                System.setProperty("splicelab.api.token", local.apiToken());
            }
            try {
                RunFollower follower = follower(url, plain);
                Supervisor supervisor = local == null ? null : local.supervisor();
                if (local != null) {
                    follower.logDir(local.logDir());
                }
                if (supervisor != null) {
                    supervisor.attach();
                    follower.watch(supervisor);
                } else if (local == null) {
                    follower.watch(new GatewayServicesWatch(follower.client()));
                }
                GatewayClient.Submitted submitted;
                try {
                    submitted = follower.client().submit(config);
                } catch (GatewayClient.GatewayException e) {
                    System.err.println("error: " + e.getMessage());
                    return 1;
                } catch (IOException e) {
                    System.err.println("error: cannot reach the gateway at " + url + ": " + RunFollower.describe(e));
                    return 1;
                }
                out.println("submitted demo run " + submitted.runId() + ": " + config);
                Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                RunFollower.Result result = follower.follow(submitted.runId(), left);
                if (supervisor != null) {
                    supervisor.detach();
                }
                if (local != null && keepRunning) {
                    out.println();
                    out.println("the stack keeps running at " + local.gatewayUrl() + "; press Ctrl-C to stop it");
                    waitUntilInterrupted();
                } else if (local != null) {
                    out.println("(the stack stops now; --keep-running leaves it up to explore the URLs above)");
                }
                return result.exitCode();
            } finally {
                if (local != null) {
                    local.close();
                }
            }
        }
    }

    /** Start the stack, run the claims experiment, follow it, write and print its report, stop the stack. */
    @Command(name = "claims", sortOptions = false,
            description = "start the local stack, run the smallest experiment that tests the paper's four claims "
                    + "(Fashion-MNIST: baseline, random labels, frozen shallow layers; 3 seeds), follow it live, write "
                    + "claims-report.json and print the verdicts")
    static final class Claims implements Callable<Integer> {
        @Mixin
        CliOptions.Help help;
        @Mixin
        CliOptions.StackOptions stack;

        @Option(names = "--timeout", paramLabel = "D", defaultValue = "40m", converter = CliOptions.DurationConverter.class,
                description = "give up following after D and write the report so far (default: ${DEFAULT-VALUE})")
        Duration timeout;

        @Option(names = "--output", paramLabel = "FILE", defaultValue = "claims-report.json",
                description = "where the report goes (default: ${DEFAULT-VALUE})")
        java.nio.file.Path output;

        @Option(names = "--seeds", paramLabel = "N", split = ",", description = "the seeds (default: 1,2,3)")
        List<Long> seeds;

        @Option(names = "--name", paramLabel = "NAME", description = "the experiment's name (default: claims <time>)")
        String name;

        @Option(names = "--gateway", paramLabel = "URL", description = "use an already running stack instead of starting one")
        String gateway;

        @Override
        public Integer call() throws InterruptedException, IOException {
            PrintStream out = System.out;
            long deadline = System.nanoTime() + timeout.toNanos();
            LocalStack local = null;
            String url = gateway;
            if (url == null) {
                // the experiment's runs carry their evaluation plan (test, train, corruptions): no splicer setting needed
                LocalStackBuilder b = stack.builder();
                Duration ready = stack.readyTimeout != null ? stack.readyTimeout : LocalStack.DEFAULT_READY_TIMEOUT;
                b.readyTimeout(ready.compareTo(timeout) < 0 ? ready : timeout);
                local = b.build();
                local.start();
                url = local.gatewayUrl();
                System.setProperty("splicelab.api.token", local.apiToken());
            }
            try {
                Supervisor supervisor = local == null ? null : local.supervisor();
                if (supervisor != null) {
                    supervisor.attach();
                }
                GatewayClient client = new GatewayClient(url);
                com.fasterxml.jackson.databind.node.ObjectNode body = io.splicelab.model.events.EventCodec.mapper()
                        .createObjectNode();
                if (name != null) {
                    body.put("name", name);
                }
                if (seeds != null && !seeds.isEmpty()) {
                    seeds.forEach(body.putArray("seeds")::add);
                }
                com.fasterxml.jackson.databind.JsonNode accepted;
                try {
                    accepted = client.startClaims(body.toString());
                } catch (GatewayClient.GatewayException e) {
                    System.err.println("error: " + e.getMessage());
                    return 1;
                } catch (IOException e) {
                    System.err.println("error: cannot reach the gateway at " + url + ": " + RunFollower.describe(e));
                    return 1;
                }
                String id = accepted.path("experimentId").asText();
                out.println("started claims experiment " + accepted.path("name").asText() + " (" + id + "): "
                        + accepted.path("runs").size() + " runs; follow it at " + url + "/api/experiments/" + id
                        + " or on the dashboard (" + url + "/claims.html?id=" + id + ")");
                Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                ClaimsFollower.Outcome outcome = new ClaimsFollower(client, out).follow(id, left, output);
                if (supervisor != null) {
                    supervisor.detach();
                }
                if (outcome == ClaimsFollower.Outcome.TIMED_OUT) {
                    System.err.println("error: the experiment did not finish within " + Durations.format(timeout)
                            + "; the report above is provisional");
                    return 1;
                }
                return 0;
            } finally {
                if (local != null) {
                    local.close();
                }
            }
        }
    }

    /** Start the stack and keep it running (supervised) until Ctrl-C. */
    @Command(name = "up", sortOptions = false,
            description = "start the local stack and keep it running until Ctrl-C (a child that dies is restarted)")
    static final class Up implements Callable<Integer> {
        @Mixin
        CliOptions.Help help;
        @Mixin
        CliOptions.StackOptions stack;
        @Mixin
        CliOptions.RunOptions run;

        @Override
        public Integer call() throws InterruptedException {
            PrintStream out = System.out;
            LocalStackBuilder b = stack.builder();
            b.readyTimeout(stack.readyTimeout != null ? stack.readyTimeout : LocalStack.DEFAULT_READY_TIMEOUT);
            try (LocalStack s = b.build()) {
                s.start();
                System.setProperty("splicelab.api.token", s.apiToken());
                out.println();
                out.println("splicelab stack is up");
                out.printf("  %-18s %s%n", "gateway", s.gatewayUrl());
                out.printf("  %-18s %s%n", "API (Swagger UI)", s.gatewayUrl() + "/q/swagger-ui");
                for (Service svc : s.services()) {
                    if (svc != Service.GATEWAY) {
                        out.printf("  %-18s %s%n", svc.module(), s.url(svc));
                    }
                }
                out.printf("  %-18s %s%n", "Kafka", s.bootstrapServers());
                out.printf("  %-18s %s%n", "logs", s.logDir());
                out.println();
                out.println("start a run:  curl -i -H 'Content-Type: application/json' -H \"X-Api-Token: $(cat "
                        + s.apiTokenFile() + ")\" -d '" + run.toJson() + "' " + s.gatewayUrl() + "/api/runs");
                out.println("follow it:    ./splicelab follow <runId>" + (s.gatewayUrl().equals(DEFAULT_GATEWAY) ? ""
                        : " --gateway " + s.gatewayUrl()));
                out.println("list the runs: ./splicelab runs" + (s.gatewayUrl().equals(DEFAULT_GATEWAY) ? ""
                        : " --gateway " + s.gatewayUrl()) + "   download one: ./splicelab export <runId>");
                out.println("press Ctrl-C to stop the stack");
                waitUntilInterrupted();
                return 0;
            }
        }
    }

    /** Follow a run on any gateway. */
    @Command(name = "follow", sortOptions = false,
            description = "follow a run on a gateway: live progress, services that are down, then its grid")
    static final class Follow implements Callable<Integer> {
        @Mixin
        CliOptions.Help help;
        @Parameters(paramLabel = "<runId>", description = "the run to follow")
        String runId;

        @Mixin
        CliOptions.GatewayOption gateway;

        @Option(names = "--timeout", paramLabel = "D", converter = CliOptions.DurationConverter.class,
                description = "give up after D (default: no limit)")
        Duration timeout;

        @Option(names = "--plain", description = "one line per 10%% instead of a live progress line")
        boolean plain;

        @Override
        public Integer call() throws InterruptedException {
            RunFollower follower = follower(gateway.url, plain);
            follower.watch(new GatewayServicesWatch(follower.client()));
            return follower.follow(runId, timeout == null ? Duration.ofDays(365) : timeout).exitCode();
        }
    }

    /** A table of the runs on a gateway. */
    @Command(name = "runs", sortOptions = false,
            description = "a table of the runs on a gateway, newest first: id, name, status, steps, hybrid cells, "
                    + "test accuracy, created")
    static final class Runs implements Callable<Integer> {
        @Mixin
        CliOptions.Help help;
        @Mixin
        CliOptions.GatewayOption gateway;

        @Option(names = "--status", paramLabel = "S", description = "only runs with this status, e.g. running, completed")
        String status;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
                description = "the newest N runs, 1 to 500 (default: ${DEFAULT-VALUE})")
        int limit;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            if (limit < 1 || limit > 500) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--limit must be between 1 and 500, got " + limit);
            }
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            GatewayClient client = new GatewayClient(gateway.url);
            try {
                GatewayClient.RunPage page = client.runs(status, limit);
                java.util.List<com.fasterxml.jackson.databind.JsonNode> detailed = new java.util.ArrayList<>();
                for (com.fasterxml.jackson.databind.JsonNode run : page.runs()) {
                    // the list has no cell counts: the run itself does (gone meanwhile: the list's entry)
                    try {
                        detailed.add(client.run(run.path("runId").asText()));
                    } catch (GatewayClient.GatewayException e) {
                        detailed.add(run);
                    }
                }
                if (detailed.isEmpty()) {
                    out.println("no runs at " + client.baseUrl() + (status == null ? "" : " with status " + status));
                } else {
                    out.print(RunsTable.render(detailed));
                    if (page.total() > detailed.size()) {
                        out.println("(the newest " + detailed.size() + " of " + page.total() + " runs; --limit N shows "
                                + "more)");
                    }
                }
                out.flush();
                return 0;
            } catch (GatewayClient.GatewayException e) {
                err.println("error: " + e.getMessage());
                return 1;
            } catch (IOException e) {
                err.println("error: cannot reach the gateway at " + client.baseUrl() + ": " + RunFollower.describe(e));
                return 1;
            } finally {
                err.flush();
            }
        }
    }

    /** Download a run's bundle. */
    @Command(name = "export", sortOptions = false,
            description = "download everything about a run as one zip (GET /api/runs/{id}/bundle: its configuration, "
                    + "every JSON and CSV view, a manifest) to DIR/<runId>-bundle.zip")
    static final class Export implements Callable<Integer> {
        @Mixin
        CliOptions.Help help;
        @Parameters(paramLabel = "<runId>", description = "the run to export")
        String runId;

        @Option(names = "--out", paramLabel = "DIR", defaultValue = ".",
                description = "the folder to write the zip to, made if missing (default: the current folder)")
        java.nio.file.Path out;

        @Mixin
        CliOptions.GatewayOption gateway;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            PrintWriter o = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            GatewayClient client = new GatewayClient(gateway.url);
            java.nio.file.Path target = out.resolve(GatewayClient.enc(runId).replace("%", "_") + "-bundle.zip");
            try {
                long size = client.downloadBundle(runId, target);
                o.println("wrote " + target + " (" + size + " bytes)");
                String truncated = BundleCheck.truncation(target);
                if (truncated != null) {
                    err.println("warning: the bundle is incomplete: " + truncated);
                }
                o.flush();
                return 0;
            } catch (GatewayClient.GatewayException e) {
                err.println("error: " + e.getMessage());
                return 1;
            } catch (IOException e) {
                err.println("error: cannot export run " + runId + " from " + client.baseUrl() + " to " + out + ": "
                        + RunFollower.describe(e));
                return 1;
            } finally {
                err.flush();
            }
        }
    }

    /** Every command with every option. */
    @Command(name = "help", description = "every command with every option (this text)")
    static final class Help implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            CommandLine top = spec.parent().commandLine();
            PrintWriter out = top.getOut();
            top.usage(out);
            top.getSubcommands().forEach((name, sub) -> {
                if (!name.equals("help")) {
                    out.println();
                    out.println("--- splicelab " + name + " ---");
                    sub.usage(out);
                }
            });
            out.flush();
            return 0;
        }
    }

    private static RunFollower follower(String gateway, boolean plain) {
        return new RunFollower(gateway, System.out, ProgressRenderer.forStdout(plain));
    }

    /** Blocks until Ctrl-C; the shutdown hook stops the stack, and the supervisor reports on it meanwhile. */
    private static void waitUntilInterrupted() throws InterruptedException {
        while (true) {
            Thread.sleep(60_000);
        }
    }
}
