package io.splicelab.model.djl;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps freed activations in glibc's malloc arenas, so that the next batch's tensors reuse memory that is already
 * mapped instead of a fresh {@code mmap} whose every 4 KiB page faults in when a convolution first writes it.
 *
 * <p>Why: libtorch allocates every activation with {@code malloc}. glibc serves a request above its mmap threshold
 * (128 KiB at first) with its own {@code mmap} and unmaps it on {@code free}; it raises the threshold on such a
 * free, but in a JVM's threads that did not happen, and every batch of the splicer's deep parts took about 4,000
 * page faults (one per 4 KiB of every activation written), a quarter of its time on a virtual machine
 * (docs/science.md section 9). Launch paths set {@value DjlOffline#MMAP_THRESHOLD_VARIABLE} and
 * {@value DjlOffline#TRIM_THRESHOLD_VARIABLE} ({@link DjlOffline#launchEnvironment()}); this applies the same values
 * in-process through {@code mallopt}, for a JVM started some other way (an IDE, {@code mvn quarkus:dev}). A value
 * the process environment already gives wins. Where glibc's {@code mallopt} cannot be reached (not Linux, not
 * glibc) nothing changes and {@link #apply(Map)} says so.
 */
public final class MallocThresholds {
    private static final Logger LOG = LoggerFactory.getLogger(MallocThresholds.class);
    /** glibc's malloc.h: M_TRIM_THRESHOLD. */
    static final int M_TRIM_THRESHOLD = -1;
    /** glibc's malloc.h: M_MMAP_THRESHOLD. */
    static final int M_MMAP_THRESHOLD = -3;

    private MallocThresholds() {
    }

    /**
     * Sets the mmap and trim thresholds of this process's allocator unless {@code environment} (the process's own)
     * already names them; returns whether glibc took every value it was given.
     */
    public static synchronized boolean apply(Map<String, String> environment) {
        Function mallopt;
        try {
            mallopt = NativeLibrary.getInstance("c").getFunction("mallopt");
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("glibc's mallopt is not available ({}): the allocator keeps its defaults", e.toString());
            return false;
        }
        boolean ok = set(mallopt, environment, DjlOffline.MMAP_THRESHOLD_VARIABLE, M_MMAP_THRESHOLD,
                DjlOffline.MMAP_THRESHOLD);
        ok &= set(mallopt, environment, DjlOffline.TRIM_THRESHOLD_VARIABLE, M_TRIM_THRESHOLD,
                DjlOffline.TRIM_THRESHOLD);
        return ok;
    }

    private static boolean set(Function mallopt, Map<String, String> environment, String variable, int option,
            String value) {
        String given = environment.get(variable);
        if (given != null && !given.isBlank()) {
            return true; // glibc read it at start-up
        }
        if (mallopt.invokeInt(new Object[] {option, Integer.parseInt(value)}) != 1) {
            LOG.warn("mallopt({}, {}) was refused: activations may be faulted in afresh every batch", variable, value);
            return false;
        }
        return true;
    }
}
