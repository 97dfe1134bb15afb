package io.splicelab.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects a benchmark's figures, prints each as it comes and writes them all to
 * {@code bench/results/<name>-<timestamp>.txt}, so numbers in notes can be traced to a file. The header says
 * when, on how many cores, with which oneDNN instruction set and under what load the figures were taken.
 */
public final class BenchReport {
    private final String name;
    private final List<String> lines = new ArrayList<>();

    public BenchReport(String name) {
        this.name = name;
        line("# " + name + " benchmark, " + LocalDateTime.now() + ", " + Runtime.getRuntime().availableProcessors()
                + " cores, java " + System.getProperty("java.version"));
        // what every figure depends on besides the code: the CPU kernels oneDNN may use, glibc's malloc thresholds
        // (whether activations are reused or faulted in afresh) and how busy the (shared) machine was at the start
        line(String.format("# DNNL_MAX_CPU_ISA=%s, MALLOC_MMAP_THRESHOLD_=%s, MALLOC_TRIM_THRESHOLD_=%s, load average %.1f",
                System.getenv("DNNL_MAX_CPU_ISA"), System.getenv("MALLOC_MMAP_THRESHOLD_"),
                System.getenv("MALLOC_TRIM_THRESHOLD_"), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
    }

    /** Prints and keeps one line. */
    public void line(String text) {
        System.out.println(text);
        lines.add(text);
    }

    /** Prints and keeps a figure with its unit. */
    public void figure(String label, double value, String unit) {
        line(String.format("%-48s %14.3f %s", label, value, unit));
    }

    /** Writes the report; returns the file. */
    public Path write() {
        Path dir = Path.of(System.getProperty("splicelab.bench.results", "bench/results"));
        Path file = dir.resolve(name + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                + ".txt");
        try {
            Files.createDirectories(dir);
            Files.write(file, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println("written to " + file);
        return file;
    }
}
