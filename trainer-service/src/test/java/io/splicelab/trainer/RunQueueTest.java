package io.splicelab.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.splicelab.model.events.Payloads.RunCancelled;
import io.splicelab.model.events.Payloads.RunFailed;
import io.splicelab.model.events.Payloads.RunRequested;
import io.splicelab.model.events.Payloads.RunStarted;
import io.splicelab.model.events.RunConfig;
import io.splicelab.model.store.LocalArtifactStore;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run waiting in the queue behind another is cancelled at once: its {@code run.cancelled} goes out while the run
 * ahead of it is still going (which took minutes in the field, the dashboard showing REQUESTED all along), and it never
 * starts when its turn comes.
 */
class RunQueueTest {
    @TempDir
    Path dir;

    /** The trainer's publisher, recording; it holds the first run at its start until released. */
    private static final class Recording extends EventPublisher {
        final List<Object> published = new CopyOnWriteArrayList<>();
        final CountDownLatch firstStarted = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @SuppressWarnings("unchecked")
        Recording() {
            super(emitter(), emitter(), emitter(), "trainer");
        }

        private static MutinyEmitter<String> emitter() {
            return (MutinyEmitter<String>) Proxy.newProxyInstance(RunQueueTest.class.getClassLoader(),
                    new Class<?>[] {MutinyEmitter.class}, (proxy, method, args) -> {
                        throw new UnsupportedOperationException("not on Kafka in this test");
                    });
        }

        @Override
        public void publish(String runId, Object payload) {
            published.add(payload);
            if (payload instanceof RunStarted && runId.equals("run-ahead")) {
                firstStarted.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("the run ahead ends here");
            }
        }
    }

    @Test
    void aQueuedRunIsCancelledAtOnceAndNeverStarts() throws Exception {
        Recording publisher = new Recording();
        RunQueue queue = new RunQueue(new LocalArtifactStore(dir.resolve("artifacts")), publisher, 1);
        try {
            RunConfig config = new RunConfig("mlp", null, "synthetic", 2, 8, null, null, 1, 1L, 64, 10).withDefaults();
            queue.submit(new RunRequested("run-ahead", config));
            assertTrue(publisher.firstStarted.await(120, TimeUnit.SECONDS), "the run ahead started");
            queue.submit(new RunRequested("run-queued", config));

            queue.cancel("run-queued");

            assertEquals(List.of(RunStarted.class, RunCancelled.class),
                    publisher.published.stream().map(Object::getClass).toList(),
                    "confirmed while the run ahead is still going");
            assertEquals(new RunCancelled("run-queued", 0), publisher.published.get(1));
            publisher.release.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!queue.active().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(queue.active().isEmpty(), "both runs left the queue");
            assertEquals(List.of(RunStarted.class, RunCancelled.class, RunFailed.class),
                    publisher.published.stream().map(Object::getClass).toList(), "the cancelled run never started");
        } finally {
            publisher.release.countDown();
            queue.stop();
        }
    }
}
