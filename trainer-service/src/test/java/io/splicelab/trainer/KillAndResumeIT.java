package io.splicelab.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splicelab.kafka.KafkaBroker;
import io.splicelab.kafka.StringClients;
import io.splicelab.model.djl.DjlOffline;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.Envelope;
import io.splicelab.model.events.EventType;
import io.splicelab.model.events.Payloads.CheckpointCreated;
import io.splicelab.model.events.Payloads.RunCancelRequested;
import io.splicelab.model.events.Payloads.RunRequested;
import io.splicelab.model.events.RunConfig;
import io.splicelab.model.events.Topics;
import io.splicelab.model.store.LocalArtifactStore;
import io.splicelab.model.store.RunArtifacts;
import io.splicelab.trainer.training.CheckpointState;
import io.splicelab.trainer.training.TrainingData;
import io.splicelab.trainer.training.TrainingListener;
import io.splicelab.trainer.training.TrainingLoop;
import io.splicelab.model.data.Datasets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged trainer against a real broker: killed with SIGKILL in the middle of a run and restarted,
 * it resumes from its last checkpoint and ends with the final checkpoint of an undisturbed run (trained
 * here, in process, with the same seed); no checkpoint is published twice with different content. Then a
 * cancel request stops a run cleanly, and a run whose dataset is missing fails without starting.
 */
class KillAndResumeIT {
    static final String CONFIG = "{\"widthMultiplier\":0.25,\"steps\":30,\"batchSize\":8,\"checkpointInterval\":5,"
            + "\"trainSize\":80,\"evalSize\":20,\"seed\":3,\"augmentation\":\"crop+flip\",\"labelNoise\":0.2,"
            + "\"noiseSteps\":[10,25],\"noiseMinibatches\":3}";
    static Path dir;
    static KafkaBroker broker;
    static Process trainer;
    static KafkaConsumer<String, String> consumer;
    static final List<Envelope> events = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        DjlOffline.configure();
        dir = Path.of("target", "kill-resume-it").toAbsolutePath();
        deleteRecursively(dir);
        Files.createDirectories(dir);
        broker = KafkaBroker.create(dir.resolve("kafka"), 0).start(Duration.ofMinutes(2));
        broker.createTopics(Topics.ALL, 1);
        consumer = StringClients.consumer(broker.bootstrapServers(), "kill-resume-it-" + UUID.randomUUID());
        consumer.subscribe(List.of(Topics.RUN_EVENTS, Topics.CHECKPOINTS, Topics.NOISE_SAMPLES));
    }

    @AfterAll
    static void stop() throws Exception {
        if (trainer != null) {
            trainer.destroy();
            trainer.waitFor();
        }
        if (consumer != null) {
            consumer.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    static Process startTrainer(String name) throws IOException {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), "package the trainer first: " + jar);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true", "-Dquarkus.http.port=0",
                "-Dkafka.bootstrap.servers=" + broker.bootstrapServers(),
                "-Dsplicelab.artifacts.dir=" + dir.resolve("artifacts")));
        for (String p : List.of("DJL_CACHE_DIR", "ENGINE_CACHE_DIR")) {
            if (System.getProperty(p) != null) {
                cmd.add("-D" + p + "=" + System.getProperty(p));
            }
        }
        cmd.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile()));
        pb.environment().put("OPT_OUT_TRACKING", "true");
        pb.environment().put("DNNL_MAX_CPU_ISA", System.getenv().getOrDefault("DNNL_MAX_CPU_ISA", "ALL"));
        return pb.start();
    }

    static void send(String runId, Object payload) {
        try (KafkaProducer<String, String> producer = StringClients.producer(broker.bootstrapServers())) {
            producer.send(new ProducerRecord<>(Topics.RUN_COMMANDS, runId, new EventCodec("/it").encode(runId,
                    payload)));
        }
    }

    /** Polls until an event of the run matches; fails when the trainer dies or the time runs out. */
    static Envelope await(String runId, EventType type, Predicate<Envelope> match, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        int from = 0;
        while (true) {
            for (int i = from; i < events.size(); i++) {
                Envelope e = events.get(i);
                if (runId.equals(e.subject()) && type.type().equals(e.type()) && match.test(e)) {
                    return e;
                }
            }
            from = events.size();
            assertTrue(System.nanoTime() < deadline, "no " + type + " for " + runId + "; log:\n" + tail());
            assertTrue(trainer.isAlive(), "the trainer exited:\n" + tail());
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                events.add(EventCodec.decode(r.value()));
            }
        }
    }

    static List<Envelope> eventsOf(String runId, EventType type) {
        return events.stream().filter(e -> runId.equals(e.subject()) && type.type().equals(e.type())).toList();
    }

    static String tail() throws IOException {
        try (Stream<Path> logs = Files.list(dir).filter(p -> p.toString().endsWith(".log"))) {
            StringBuilder out = new StringBuilder();
            for (Path log : logs.sorted().toList()) {
                List<String> lines = Files.readAllLines(log);
                out.append("== ").append(log.getFileName()).append('\n')
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())))
                        .append('\n');
            }
            return out.toString();
        }
    }

    @Test
    void killedMidRunItResumesToTheSameFinalCheckpointThenCancelsAndRefusesMissingData() throws Exception {
        RunConfig config = EventCodec.mapper().readValue(CONFIG, RunConfig.class).withDefaults();
        String run = "kill-" + UUID.randomUUID().toString().substring(0, 8);
        trainer = startTrainer("trainer-1");
        send(run, new RunRequested(run, config));
        await(run, EventType.CHECKPOINT_CREATED,
                e -> EventCodec.payload(e, CheckpointCreated.class).step() >= 10, Duration.ofMinutes(4));
        trainer.destroyForcibly(); // SIGKILL
        trainer.waitFor();
        LocalArtifactStore killed = new LocalArtifactStore(dir.resolve("artifacts"));
        assertFalse(killed.exists(RunArtifacts.completedMarker(run)), "the run finished before the kill");
        assertTrue(killed.exists(TrainerArtifacts.startedMarker(run)));

        trainer = startTrainer("trainer-2");
        await(run, EventType.RUN_COMPLETED, e -> true, Duration.ofMinutes(4));

        LocalArtifactStore store = new LocalArtifactStore(dir.resolve("artifacts"));
        Map<Integer, String> shaByStep = new HashMap<>();
        for (Envelope e : eventsOf(run, EventType.CHECKPOINT_CREATED)) {
            CheckpointCreated c = EventCodec.payload(e, CheckpointCreated.class);
            String before = shaByStep.putIfAbsent(c.step(), c.parameters().sha256());
            assertTrue(before == null || before.equals(c.parameters().sha256()),
                    "checkpoint " + c.step() + " published with different content");
        }
        assertEquals(config.checkpointSteps().size(), shaByStep.size(), "every checkpoint published");
        assertEquals(2, eventsOf(run, EventType.NOISE_SAMPLED).stream()
                .map(e -> EventCodec.payload(e, io.splicelab.model.events.Payloads.NoiseSampled.class).step())
                .distinct().count());

        byte[] resumed = store.read(RunArtifacts.checkpointParams(run, 30));
        byte[][] undisturbed = new byte[1][];
        new TrainingLoop().train(config, new TrainingData(Datasets.train(config), null, null),
                new TrainingListener() {
                    @Override
                    public void onProgress(int s, int t, double l, double a, double lr, double ips) {
                    }

                    @Override
                    public void onCheckpoint(CheckpointState c) {
                        if (c.step() == 30) {
                            undisturbed[0] = c.parameters();
                        }
                    }
                }, null);
        assertArrayEquals(undisturbed[0], resumed, "the resumed run's final checkpoint differs");

        // cancel: a long run stops cleanly at its next step and is not resumed
        String cancel = "cancel-" + UUID.randomUUID().toString().substring(0, 8);
        RunConfig longRun = EventCodec.mapper().readValue("{\"widthMultiplier\":0.25,\"steps\":100000,"
                + "\"batchSize\":4,\"checkpointInterval\":1000,\"trainSize\":40,\"evalSize\":10}", RunConfig.class)
                .withDefaults();
        send(cancel, new RunRequested(cancel, longRun));
        await(cancel, EventType.RUN_STARTED, e -> true, Duration.ofMinutes(2));
        send(cancel, new RunCancelRequested(cancel, "it"));
        await(cancel, EventType.RUN_CANCELLED, e -> true, Duration.ofMinutes(2));
        assertTrue(store.exists(TrainerArtifacts.cancelledMarker(cancel)));

        // a missing dataset fails before RunStarted
        String missing = "missing-" + UUID.randomUUID().toString().substring(0, 8);
        RunConfig cifar = EventCodec.mapper().readValue("{\"dataset\":\"cifar10\",\"dataDir\":\""
                + dir.resolve("no-data") + "\",\"steps\":10}", RunConfig.class).withDefaults();
        send(missing, new RunRequested(missing, cifar));
        Envelope failed = await(missing, EventType.RUN_FAILED, e -> true, Duration.ofMinutes(2));
        assertTrue(failed.data().toString().contains("data_batch_1.bin"), failed.data().toString());
        assertTrue(eventsOf(missing, EventType.RUN_STARTED).isEmpty());
        assertFalse(store.exists(TrainerArtifacts.startedMarker(missing)));
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
