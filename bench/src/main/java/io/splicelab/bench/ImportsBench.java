package io.splicelab.bench;

import io.splicelab.local.LocalStack;
import io.splicelab.local.Service;
import io.splicelab.local.drills.DrillKit;
import io.splicelab.model.djl.DjlOffline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Checkpoints trained elsewhere, at full scale: a ResNet-20 trained on Fashion-MNIST with Debian's PyTorch
 * ({@code bench/python/export_resnet20.py}: ONNX segments with BatchNorm kept, manifests with the descriptive
 * fields a real exporter writes) is imported into a fresh default local stack checkpoint by checkpoint, and
 * the grid is evaluated on the whole 10,000-image test split. Prints the time from the first upload to the last
 * cell, the time per checkpoint, the splicer's peak memory (heap, direct, RSS) and the services' health, and
 * writes them to bench/results.
 *
 * <p>{@code ./bench/run imports [checkpoints=6] [evalSize=10000] [every=50]}
 */
public final class ImportsBench {
    private static final int CUTS = 3;

    private ImportsBench() {
    }

    public static void main(String[] args) throws Exception {
        int checkpoints = BenchArgs.intArg(args, 0, 6);
        int evalSize = BenchArgs.intArg(args, 1, 10_000);
        int every = BenchArgs.intArg(args, 2, 50);
        DjlOffline.configure();
        BenchReport report = new BenchReport("imports");
        Path zips = Files.createTempDirectory("splicelab-imports");
        long e0 = System.nanoTime();
        export(zips, checkpoints, every);
        report.figure("PyTorch: train and export " + checkpoints + " checkpoints", (System.nanoTime() - e0) / 1e9,
                "s");
        List<Path> files;
        try (Stream<Path> s = Files.list(zips)) {
            files = s.filter(p -> p.toString().endsWith(".zip")).sorted().toList();
        }
        try (LocalStack stack = LocalStack.builder().freshStackDir(true).randomPorts()
                .readyTimeout(Duration.ofMinutes(6)).shutdownHook(true).build().start()) {
            Map<String, String> health = new LinkedHashMap<>();
            for (Service s : stack.services()) {
                health.put(s.module(), stack.url(s));
            }
            try (DrillKit kit = new DrillKit(stack.gatewayUrl(), health, stack.bootstrapServers(), stack.apiToken())) {
                String run = "pytorch-fmnist-" + Long.toHexString(System.nanoTime());
                long t0 = System.nanoTime();
                long last = t0;
                for (int k = 0; k < files.size(); k++) {
                    DrillKit.Answer a = kit.gateway("POST", "/api/imports?run=" + run
                            + "&dataset=fashion-mnist&evalSize=" + evalSize + "&evalSets=test", "application/zip",
                            Files.readAllBytes(files.get(k)), Duration.ofMinutes(2));
                    report.line(String.format("upload %s: %d in %.1f s %s", files.get(k).getFileName(), a.status(),
                            a.took().toMillis() / 1e3, a.body().replaceAll("\\s+", " ")));
                    if (a.status() != 202) {
                        throw new IllegalStateException("import refused: " + a.status() + " " + a.body());
                    }
                    int cells = (k + 1) * (k + 1) * CUTS;
                    if (!DrillKit.await(() -> kit.cells(run).size() >= cells, Duration.ofMinutes(90))) {
                        report.line("checkpoint " + (k + 1) + ": " + cells + " cells not within 90 min");
                        break;
                    }
                    long now = System.nanoTime();
                    report.figure(String.format("checkpoint %d (%d cells in all)", k + 1, cells), (now - last) / 1e9,
                            "s");
                    last = now;
                }
                report.figure("first upload to last cell", (last - t0) / 1e9, "s");
                report.line("cells: " + kit.cells(run).size() + " of " + files.size() * files.size() * CUTS);
                report.line("grid: " + kit.run(run).path("grid"));
                report.line("splicer memory: " + kit.memory(Service.SPLICER.module()));
                report.line("services down: " + kit.servicesDown());
            }
        }
        report.write();
    }

    private static void export(Path out, int checkpoints, int every) throws IOException, InterruptedException {
        Path script = Path.of(System.getProperty("splicelab.bench.dir", "bench"), "python", "export_resnet20.py");
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), "--out", out.toString(),
                "--checkpoints", String.valueOf(checkpoints), "--every", String.valueOf(every)).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new UncheckedIOException(new IOException(script + " failed with exit code " + p.exitValue()
                    + " (it needs Debian's python3-torch and python3-onnx)"));
        }
    }
}
