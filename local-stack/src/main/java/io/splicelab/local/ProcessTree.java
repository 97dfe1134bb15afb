package io.splicelab.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stopping a child with everything it started: a service may fork (DJL, a shell), and a descendant that outlives
 * its parent keeps ports and files busy.
 */
public final class ProcessTree {
    private ProcessTree() {
    }

    /** The process and, taken now, all its descendants (they are no longer reachable once the parent is gone). */
    public static List<ProcessHandle> withDescendants(ProcessHandle root) {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(root);
        root.descendants().forEach(tree::add);
        return tree;
    }

    /** Asks the process and its descendants to stop (SIGTERM), then waits up to grace and kills the rest. */
    public static void stop(ProcessHandle root, Duration grace) {
        List<ProcessHandle> tree = withDescendants(root);
        tree.forEach(ProcessHandle::destroy);
        awaitExit(tree, grace);
    }

    /** Waits up to grace for every process to exit, then kills the rest and waits a little more. */
    public static void awaitExit(List<ProcessHandle> handles, Duration grace) {
        if (handles.isEmpty()) {
            return;
        }
        CompletableFuture<?> all = CompletableFuture.allOf(handles.stream().map(ProcessHandle::onExit)
                .toArray(CompletableFuture[]::new));
        try {
            all.get(grace.toMillis(), TimeUnit.MILLISECONDS);
            return;
        } catch (TimeoutException | ExecutionException e) {
            handles.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        } catch (InterruptedException e) {
            handles.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
            Thread.currentThread().interrupt();
        }
        try {
            all.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // a process that survives SIGKILL for 10 s is beyond our reach
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
