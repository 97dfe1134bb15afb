package io.splicelab.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Where a local stack finds its code and keeps its state: the repository (the packaged services), the stack
 * directory (Kafka's data, artifacts, databases, logs, the API token) and DJL's native cache. Knows paths only;
 * starts nothing.
 */
public record StackLayout(Path repo, Path stackDir, Path djlCacheDir) {
    /** How to build the packaged services, named in every "missing" error. */
    public static final String BUILD_HINT = "./mvnw -DskipTests install";

    public Path logDir() {
        return stackDir.resolve("logs");
    }

    public Path logFile(Service service) {
        return logDir().resolve(service.module() + ".log");
    }

    public Path kafkaDir() {
        return stackDir.resolve("kafka");
    }

    /** Kafka's own log (also linked as {@code logs/kafka.log}). */
    public Path kafkaLogFile() {
        return kafkaDir().resolve("kafka.log");
    }

    public Path artifactsDir() {
        return stackDir.resolve("artifacts");
    }

    public Path dataDir() {
        return stackDir.resolve("data");
    }

    public Path apiTokenFile() {
        return stackDir.resolve("api-token");
    }

    public Path packagedApp(Service service) {
        return packagedApp(repo, service);
    }

    /** {@code <repo>/<module>/target/quarkus-app/quarkus-run.jar}. */
    public static Path packagedApp(Path repo, Service service) {
        return repo.resolve(service.module()).resolve("target").resolve("quarkus-app").resolve("quarkus-run.jar");
    }

    /** Every packaged app the services need, or a clear error naming the missing ones and how to build them. */
    public void checkPackagedApps(Collection<Service> services) {
        List<Path> missing = services.stream().map(this::packagedApp).filter(p -> !Files.isRegularFile(p)).toList();
        if (!missing.isEmpty()) {
            throw new LocalStackException("The packaged service" + (missing.size() > 1 ? "s are" : " is")
                    + " missing:\n" + missing.stream().map(p -> "  " + p).collect(Collectors.joining("\n"))
                    + "\nBuild the project first: cd " + repo + " && " + BUILD_HINT);
        }
    }

    /** Creates the directories the services write to. */
    public void createDirectories() {
        try {
            Files.createDirectories(logDir());
            Files.createDirectories(artifactsDir());
            Files.createDirectories(dataDir());
            Files.createDirectories(djlCacheDir);
        } catch (IOException e) {
            throw new LocalStackException("cannot create the stack directory " + stackDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The repository root: {@code -Dsplicelab.home} when set, else the current directory or the nearest parent
     * that holds {@code pom.xml} and the service modules.
     */
    public static Path findRepo() {
        String home = System.getProperty("splicelab.home");
        if (home != null && !home.isBlank()) {
            Path p = Path.of(home).toAbsolutePath().normalize();
            if (!isRepo(p)) {
                throw new LocalStackException(p + " (from -Dsplicelab.home) is not the splicelab repository: it needs "
                        + "pom.xml and the folders " + modules() + ".");
            }
            return p;
        }
        Path cwd = Path.of("").toAbsolutePath().normalize();
        for (Path p = cwd; p != null; p = p.getParent()) {
            if (isRepo(p)) {
                return p;
            }
        }
        throw new LocalStackException("Cannot find the splicelab repository from " + cwd
                + ": run from the repository root (with pom.xml and " + modules()
                + "), or set -Dsplicelab.home=<repository>.");
    }

    static boolean isRepo(Path p) {
        return Files.isRegularFile(p.resolve("pom.xml"))
                && EnumSet.allOf(Service.class).stream().allMatch(s -> Files.isDirectory(p.resolve(s.module())));
    }

    private static String modules() {
        return EnumSet.allOf(Service.class).stream().map(Service::module).collect(Collectors.joining(", "));
    }

    /** {@code <repo>/.splicelab}: the default stack directory. */
    public static Path defaultStackDir(Path repo) {
        return repo.resolve(".splicelab");
    }

    /** A new directory per run: {@code <repo>/.splicelab/runs/<timestamp>}. */
    public static Path freshStackDir(Path repo) {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path base = defaultStackDir(repo).resolve("runs");
        Path dir = base.resolve(stamp);
        for (int i = 2; Files.exists(dir); i++) {
            dir = base.resolve(stamp + "-" + i);
        }
        return dir;
    }
}
