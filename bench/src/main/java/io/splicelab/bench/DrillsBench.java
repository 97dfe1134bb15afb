package io.splicelab.bench;

import io.splicelab.local.LocalStack;
import io.splicelab.local.LocalStackBuilder;
import io.splicelab.local.Service;
import io.splicelab.local.drills.DrillKit;
import io.splicelab.local.drills.DrillReport;
import io.splicelab.local.drills.Drills;
import io.splicelab.model.djl.DjlOffline;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The whole drill suite on a fresh local stack, the long drills included: hostile records, heavy requests, a
 * redelivered checkpoint of an evicted run, kill -9 of each service and of the broker mid-run, and a Fashion-MNIST
 * run evaluated on the whole 10,000-image test split (each checkpoint takes minutes on two cores). Prints the
 * table of expected and observed outcomes, cells lost and duplicated, records dead-lettered, channels stopped and
 * files read outside the store, and writes it to bench/results.
 *
 * <p>{@code ./bench/run drills [all|fast|kills|kill-PART|full] [checkpoints]} (default all, 5 checkpoints).
 */
public final class DrillsBench {
    private DrillsBench() {
    }

    public static void main(String[] args) {
        String which = args.length > 0 ? args[0] : "all";
        int checkpoints = BenchArgs.intArg(args, 1, 5);
        DjlOffline.configure();
        BenchReport report = new BenchReport("drills");
        // the stack as a user gets it; -Dsplicelab.drills.splicer-batch-size=N fixes the splicer's batch instead of
        // its auto size (120 images for Fashion-MNIST ResNet-20 on the default 512 MB budget)
        LocalStackBuilder builder = LocalStack.builder().freshStackDir(true).randomPorts();
        String batch = System.getProperty("splicelab.drills.splicer-batch-size");
        if (batch != null) {
            builder.systemProperty(Service.SPLICER, "splicelab.splicer.batch-size", batch);
        }
        try (LocalStack stack = builder
                .readyTimeout(Duration.ofMinutes(6)).shutdownHook(true).build().start()) {
            Map<String, String> health = new LinkedHashMap<>();
            for (Service s : stack.services()) {
                health.put(s.module(), stack.url(s));
            }
            try (DrillKit kit = new DrillKit(stack.gatewayUrl(), health, stack.bootstrapServers(), stack.apiToken())) {
                Drills drills = new Drills(kit, stack.artifactsDir(), Duration.ofMinutes(60));
                Map<String, Supplier<DrillReport>> plan = new LinkedHashMap<>();
                if (which.equals("all") || which.equals("fast")) {
                    plan.put("hostile records on every topic", drills::hostileRecords);
                    plan.put("heavy requests", drills::heavyRequests);
                    plan.put("redelivered checkpoint, evicted run", drills::redeliveredCheckpointOfAnEvictedRun);
                }
                for (String part : List.of("kafka", "trainer-service", "splicer-service", "stats-service",
                        "gateway")) {
                    if (which.equals("all") || which.equals("kills") || which.equals("kill-" + part)) {
                        plan.put("kill -9 " + part, () -> drills.killMidRun(part, () -> kill(stack, part)));
                    }
                }
                if (which.equals("all") || which.equals("full")) {
                    plan.put("fashion-mnist, 10,000 test images", () -> drills.fullTestSplit(checkpoints,
                            () -> stack.pids().getOrDefault(Service.SPLICER.module(), -1L)));
                }
                for (String line : DrillReport.table(Drills.run(plan)).split("\n")) {
                    report.line(line);
                }
            }
        }
        report.write();
    }

    private static void kill(LocalStack stack, String part) {
        Long pid = stack.pids().get(part);
        if (pid == null) {
            throw new IllegalStateException("no process " + part + " in " + stack.pids());
        }
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
}
