package io.splicelab.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;

class ScratchBrokerTest {
    @Test
    void createsTheTopicsAndTakesItsDirectoryAlongWhenClosed() throws Exception {
        Path dir;
        try (ScratchBroker kafka = ScratchBroker.start("scratch-broker-test-", Duration.ofSeconds(90))) {
            dir = kafka.dir();
            Files.writeString(dir.resolve("test-file"), "kept by the test");
            kafka.createTopics(List.of("t.one", "t.two"), 2);
            Properties props = new Properties();
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            try (Admin admin = Admin.create(props)) {
                assertTrue(admin.listTopics().names().get().containsAll(Set.of("t.one", "t.two")));
                Map<String, TopicDescription> described = admin.describeTopics(List.of("t.one")).allTopicNames().get();
                assertEquals(2, described.get("t.one").partitions().size());
            }
            assertTrue(Files.isDirectory(dir.resolve("kafka")), "broker data under dir()/kafka");
        }
        assertFalse(Files.exists(dir), "temporary directory left behind");
    }
}
