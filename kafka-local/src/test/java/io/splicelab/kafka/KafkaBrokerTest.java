package io.splicelab.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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

    @Test
    void listensOnTheLoopbackByDefaultAndAWildcardIsReachedThroughIt() {
        KafkaBroker local = KafkaBroker.create(dir, 19999);
        assertEquals("127.0.0.1", local.bindAddress());
        assertEquals("127.0.0.1:19999", local.bootstrapServers());
        assertEquals("127.0.0.1", KafkaBroker.advertisedHost("127.0.0.1"));
        KafkaBroker exposed = KafkaBroker.create(dir, 19999, "0.0.0.0");
        assertEquals("127.0.0.1:19999", exposed.bootstrapServers(), "clients on this machine use the loopback");
        assertNotEquals("0.0.0.0", KafkaBroker.advertisedHost("0.0.0.0"), "a wildcard is no address to advertise");
        assertEquals("10.1.2.3", KafkaBroker.advertisedHost("10.1.2.3"));
        assertEquals(-1, exposed.exitCode());
        assertFalse(exposed.alive());
    }

    @Test
    void aBrokerThatDiedStartsAgainOnItsDataAndPort() throws Exception {
        try (KafkaBroker broker = KafkaBroker.create(dir, 0).start(Duration.ofSeconds(90))) {
            long first = broker.pid();
            ProcessHandle h = ProcessHandle.of(first).orElseThrow();
            h.destroyForcibly();
            h.onExit().get();
            assertFalse(broker.alive());
            assertEquals(137, broker.exitCode());
            broker.start(Duration.ofSeconds(90));
            assertTrue(broker.alive());
            assertNotEquals(first, broker.pid());
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", broker.port()), 1000);
                assertTrue(s.isConnected());
            }
        }
    }

    @Test
    void clusterIdsNeverLookLikeAnOption() {
        for (int i = 0; i < 2000; i++) {
            String id = KafkaBroker.Base64Uuid.random();
            assertEquals(22, id.length());
            assertFalse(id.startsWith("-"), id);
        }
    }
}
