package io.splicelab.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splicelab.model.data.Datasets;
import io.splicelab.model.events.EventCodec;
import io.splicelab.model.events.Payloads.RunCompleted;
import io.splicelab.model.events.Payloads.RunFailed;
import io.splicelab.model.events.Payloads.RunProgress;
import io.splicelab.model.events.Payloads.RunRequested;
import io.splicelab.model.events.RunConfig;
import io.splicelab.model.store.LocalArtifactStore;
import io.splicelab.model.store.RunArtifacts;
import io.smallrye.reactive.messaging.MutinyEmitter;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: run.completed carries the final checkpoint's accuracy on the whole test split (what the trainer
 * measured and wrote into the last checkpoint's manifest), next to the last training minibatch's accuracy.
 */
class RunCompletionTest {
    @TempDir
    Path dir;

    /** The trainer's publisher without Kafka: keeps what it is given. */
    static final class Captured extends EventPublisher {
        final List<Object> events = new CopyOnWriteArrayList<>();

        Captured() {
            super(unused(), unused(), unused(), "trainer-test");
        }

        /** An emitter nothing is sent to (publish is overridden). */
        @SuppressWarnings("unchecked")
        static MutinyEmitter<String> unused() {
            return (MutinyEmitter<String>) Proxy.newProxyInstance(MutinyEmitter.class.getClassLoader(),
                    new Class<?>[] {MutinyEmitter.class}, (proxy, method, args) -> {
                        throw new UnsupportedOperationException(method.getName());
                    });
        }

        @Override
        public void publish(String runId, Object payload) {
            events.add(payload);
        }
    }

    @Test
    void theCompletionCarriesTheFinalTestAccuracyOnTheWholeTestSplit() throws Exception {
        LocalArtifactStore store = new LocalArtifactStore(dir.resolve("artifacts"));
        Captured publisher = new Captured();
        RunQueue queue = new RunQueue(store, publisher, 1);
        RunConfig config = EventCodec.mapper().readValue("""
                {"architecture":"mlp","dataset":"synthetic","steps":20,"checkpointInterval":10,"batchSize":16,
                 "seed":5,"trainSize":200,"evalSize":40}""", RunConfig.class).withDefaults();
        try {
            queue.submit(new RunRequested("r-final", config));
            long deadline = System.nanoTime() + 600_000_000_000L; // a bound for a hung trainer, not a measurement
            while (publisher.events.stream().noneMatch(e -> e instanceof RunCompleted || e instanceof RunFailed)) {
                assertTrue(System.nanoTime() < deadline, "the run ends");
                Thread.sleep(100);
            }
        } finally {
            queue.stop();
        }
        RunCompleted done = (RunCompleted) publisher.events.stream().filter(e -> e instanceof RunCompleted)
                .findFirst().orElseThrow(() -> new AssertionError("failed: " + publisher.events));
        CheckpointManifest last = EventCodec.mapper().readValue(store.read(RunArtifacts.checkpointManifest("r-final",
                20)), CheckpointManifest.class);
        assertNotNull(done.finalTestAccuracy());
        assertEquals(last.testAccuracy(), done.finalTestAccuracy());
        assertEquals(Datasets.test(config).size(), done.finalTestSamples(), "the whole test split, not the subset");
        assertEquals(last.testSamples(), done.finalTestSamples());
        RunProgress lastProgress = (RunProgress) publisher.events.stream().filter(e -> e instanceof RunProgress)
                .reduce((a, b) -> b).orElseThrow();
        assertEquals(lastProgress.accuracy(), done.finalTrainAccuracy(), "the last minibatch's, as before");
        // and the completed marker in the store says the same
        RunCompleted marker = EventCodec.mapper().readValue(store.read(RunArtifacts.completedMarker("r-final")),
                RunCompleted.class);
        assertEquals(done, marker);
    }
}
