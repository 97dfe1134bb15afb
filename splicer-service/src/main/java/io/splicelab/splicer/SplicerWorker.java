package io.splicelab.splicer;

import io.quarkus.runtime.StartupEvent;
import io.splicelab.edge.health.FatalErrors;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Evaluates the accepted checkpoints on its own thread, one at a time, in the order they were accepted (so a
 * run's checkpoints keep their order), while the Kafka consumer has long acknowledged their records: however
 * long a checkpoint takes, no consumer limit (poll interval, the throttled commit strategy's age of an
 * unprocessed record) is ever reached.
 *
 * <p>Its work comes from {@link PendingWork}: an item is removed only after its checkpoint was evaluated (cells
 * stored) or recorded incomplete, so at start-up every item still there is evaluated again. A failure of one
 * checkpoint (an artifact tampered with since it was accepted, a segment that fails) marks the grid incomplete
 * with the reason and the worker goes on. An {@link Error} (out of memory) stops it and leaves the item pending:
 * it is recorded in the service edge's {@link FatalErrors} (liveness DOWN, with what broke), and
 * {@link SplicerHealth} reports the worker stopped, so that the service is restarted.
 */
@ApplicationScoped
public class SplicerWorker {
    private static final Logger LOG = Logger.getLogger(SplicerWorker.class);

    private final SplicingService splicing;
    private final PendingWork pending;
    private final LinkedBlockingQueue<Task> queue = new LinkedBlockingQueue<>();
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private volatile Thread thread;
    private final FatalErrors fatalErrors;
    private volatile boolean stopped;
    private volatile boolean stopping;
    private volatile boolean started;

    private sealed interface Task permits Evaluate, Status, Forget {
    }

    private record Forget(String runId) implements Task {
    }

    private record Evaluate(String key) implements Task {
    }

    private record Status(String runId) implements Task {
    }

    public SplicerWorker(SplicingService splicing, PendingWork pending, FatalErrors fatalErrors) {
        this.splicing = splicing;
        this.pending = pending;
        this.fatalErrors = fatalErrors;
    }

    void onStart(@Observes StartupEvent event) {
        start();
    }

    /** Picks up every pending item of the store and starts the thread. */
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        pickUpPending();
        thread = new Thread(this::loop, "splicer-worker");
        thread.start();
        started = true;
    }

    /** Queues a persisted item (the same item queued twice runs once). */
    public void submit(String key) {
        if (queued.add(key)) {
            queue.add(new Evaluate(key));
        }
    }

    /** Queues a status report of a run, after the work queued before it (its training completed). */
    public void reportStatus(String runId) {
        queue.add(new Status(runId));
    }

    /**
     * Queues forgetting a deleted run (its grid leaves memory), after the work queued before it; its pending items
     * went with the run's directory, so they are skipped when their turn comes.
     */
    public void forget(String runId) {
        queue.add(new Forget(runId));
    }

    /** Whether the thread runs (once started) and no fatal error stopped the work. */
    public boolean healthy() {
        Thread t = thread;
        return !stopped && (t == null ? !started : t.isAlive());
    }

    public int queued() {
        return queue.size();
    }

    /**
     * Runs the queued work on the calling thread until the queue is empty, as the worker thread would (for tests;
     * not while the thread runs).
     */
    void drain() {
        Task task;
        while ((task = queue.poll()) != null) {
            if (!runSafely(task)) {
                return;
            }
        }
    }

    /** Runs a task; false after a fatal error (the worker stops, the task's item stays pending). */
    private boolean runSafely(Task task) {
        try {
            run(task);
            return true;
        } catch (RuntimeException e) {
            LOG.errorf(e, "splicer work %s failed", task);
            return true;
        } catch (Error e) {
            stopped = true;
            fatalErrors.record(e, "splicer worker (" + task + "; the worker stopped, its work stays pending)");
            return false;
        }
    }

    private void run(Task task) {
        if (task instanceof Evaluate e) {
            evaluate(e.key());
        } else if (task instanceof Status s) {
            splicing.publishStatus(s.runId(), -1);
        } else if (task instanceof Forget f) {
            splicing.forget(f.runId());
            LOG.infof("run %s was deleted: its grid left memory", f.runId());
        }
    }

    /** Queues every pending item of the store (start-up). */
    void pickUpPending() {
        for (String key : pending.all()) {
            LOG.infof("picking up pending work %s", key);
            submit(key);
        }
    }

    private void loop() {
        while (!stopping) {
            Task task;
            try {
                task = queue.poll(500, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (task == null) {
                continue;
            }
            if (!runSafely(task)) {
                return;
            }
        }
    }

    private void evaluate(String key) {
        queued.remove(key);
        if (!pending.exists(key)) {
            return; // done already (queued twice)
        }
        String runId = PendingWork.runOf(key);
        int step = PendingWork.stepOf(key);
        try {
            PendingWork.Item item = pending.read(key);
            if (item.created() != null) {
                splicing.onCheckpoint(item.created());
            } else {
                splicing.onImported(item.imported());
            }
        } catch (RuntimeException e) {
            String reason = "checkpoint at step " + step + " could not be evaluated: " + e;
            LOG.errorf(e, "run %s: %s", runId, reason);
            try {
                splicing.markIncomplete(runId, step, reason);
                splicing.publishStatus(runId, step);
            } catch (RuntimeException again) {
                LOG.errorf(again, "run %s: cannot record the failure of step %d", runId, step);
            }
        }
        pending.remove(key);
    }

    @PreDestroy
    void stop() {
        stopping = true;
        Thread t = thread;
        if (t != null) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
