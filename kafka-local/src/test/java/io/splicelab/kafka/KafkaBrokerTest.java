package io.splicelab.kafka;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerTest {
    @TempDir
    Path dir;

    @Test
    void startsARealBrokerAndLeavesNoProcessBehind() throws Exception {
        long pid;
        int port;
        try (KafkaBroker broker = KafkaBroker.create(dir, 0).start(Duration.ofSeconds(90))) {
            pid = broker.pid();
            port = broker.port();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                assertTrue(s.isConnected());
            }
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        assertFalse(handle.isPresent() && handle.get().isAlive(), "broker JVM still alive");
    }
}
