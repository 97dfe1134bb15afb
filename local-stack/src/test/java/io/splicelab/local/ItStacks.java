package io.splicelab.local;

import io.splicelab.model.djl.DjlOffline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;

/**
 * The real local stack of an integration test: started afresh in its own directory under {@code target/} (what an
 * earlier run left there is deleted first, so its runs and topics do not leak into this one), on free ports, with
 * five minutes for the services to be ready (they share two cores with the build) and a shutdown hook.
 */
final class ItStacks {
    private ItStacks() {
    }

    /**
     * The configuration of a tiny real run of the ITs: ResNet-20 at width 0.25 on synthetic data, batches of 32,
     * SGD with momentum, learning rate 0.05.
     */
    static String tinyRun(int steps, int checkpointInterval, int seed, int trainSize, int evalSize) {
        return """
                {"architecture":"resnet20","widthMultiplier":0.25,"dataset":"synthetic","steps":%d,"batchSize":32,
                 "learningRate":0.05,"momentum":0.9,"checkpointInterval":%d,"seed":%d,"trainSize":%d,"evalSize":%d,
                 "evalSets":["test"],"bnModes":["carry"]}
                """.formatted(steps, checkpointInterval, seed, trainSize, evalSize);
    }

    /**
     * Starts the stack with the given services (none named: all four) in {@code target/<name>}.
     */
    static LocalStack start(String name, Service... services) {
        DjlOffline.configure();
        Path dir = Path.of("target", name).toAbsolutePath();
        deleteRecursively(dir);
        LocalStackBuilder builder = LocalStack.builder().stackDir(dir).randomPorts();
        if (services.length > 0) {
            builder.services(services);
        }
        LocalStack stack = builder.readyTimeout(Duration.ofMinutes(5)).shutdownHook(true).build();
        stack.start();
        return stack;
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
