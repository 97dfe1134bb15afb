package io.splicelab.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A {@link KafkaBroker} that lives in a fresh temporary directory and takes the directory with it when
 * closed: what an integration test needs. The broker's data is under {@code dir()/kafka}; a test may keep
 * its own files (an artifact store, say) elsewhere under {@link #dir()} and they go too. Topics are
 * created up front with {@link #createTopics} because a consumer's first poll of an unknown topic only
 * logs errors until the broker creates it.
 */
public final class ScratchBroker implements AutoCloseable {
    private final Path dir;
    private final KafkaBroker broker;

    private ScratchBroker(Path dir, KafkaBroker broker) {
        this.dir = dir;
        this.broker = broker;
    }

    /** Starts a broker on a free port in a new temporary directory named after {@code prefix}. */
    public static ScratchBroker start(String prefix, Duration timeout) {
        Path dir;
        try {
            dir = Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return new ScratchBroker(dir, KafkaBroker.create(dir.resolve("kafka"), 0).start(timeout));
        } catch (RuntimeException e) {
            delete(dir);
            throw e;
        }
    }

    /** Creates the topics, each with {@code partitions} partitions and one replica ({@link KafkaBroker#createTopics}). */
    public ScratchBroker createTopics(Collection<String> topics, int partitions) {
        broker.createTopics(topics, partitions);
        return this;
    }

    /** The temporary directory this broker and its test own. */
    public Path dir() {
        return dir;
    }

    public KafkaBroker broker() {
        return broker;
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** Stops the broker, then deletes the directory (best effort: a temporary file left behind is harmless). */
    @Override
    public void close() {
        broker.close();
        delete(dir);
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temporary directory: best effort
        }
    }
}
