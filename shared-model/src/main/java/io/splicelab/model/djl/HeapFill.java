package io.splicelab.model.djl;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the C heap hand out memory that holds a harmless pattern instead of what its previous owner left.
 *
 * <p>Why: oneDNN's convolution backward in libtorch 2.7.1 (oneDNN 3.7.1) reads the channel padding of its
 * blocked buffers without writing it first and multiplies it by zero weights. When that memory last held a
 * NaN, or an integer whose bits read as one, the input gradient turns NaN (docs/science.md section 8), and
 * every faulty step frees more NaN-filled buffers, so faults come in clusters that a roll-back cannot clear.
 * The padding is whatever glibc's heap returns, so asking glibc to fill every chunk it hands out
 * ({@code mallopt(M_PERTURB)}) makes it finite; a finite value times zero is zero, bit for bit what zeroed
 * padding gives, so results do not change. Chunks handed out get {@code 0x01} bytes (2.4e-38 as a float32)
 * and freed ones {@code 0xfe} bytes (-1.7e38): both finite in float32 and float64.
 *
 * <p>It costs a memset on every allocation and every free: a third of the training throughput on a 2-core
 * machine, which is why the trainer turns it on only once a run has met a non-finite step. Holders share
 * one process-wide setting: it is on while at least one {@link Lease} is open. Where glibc's {@code mallopt}
 * cannot be reached (not Linux, not glibc) a lease does nothing and {@link #supported()} says so.
 */
public final class HeapFill {
    private static final Logger LOG = LoggerFactory.getLogger(HeapFill.class);
    /** glibc's malloc.h: M_PERTURB. */
    private static final int M_PERTURB = -6;
    /** Freed chunks get this byte, fresh ones its complement (0x01). */
    static final int PERTURB_BYTE = 0xfe;

    private static final Object LOCK = new Object();
    private static int holders;
    private static Function mallopt;
    private static boolean probed;

    private HeapFill() {
    }

    /** Whether this process can fill its heap (glibc's {@code mallopt} was found). */
    public static boolean supported() {
        synchronized (LOCK) {
            return mallopt() != null;
        }
    }

    /** Whether fresh heap memory is filled now. */
    public static boolean active() {
        synchronized (LOCK) {
            return holders > 0 && mallopt() != null;
        }
    }

    /** Turns the fill on (if it was off) until the returned lease, and every other open one, is closed. */
    public static Lease fill() {
        synchronized (LOCK) {
            if (holders++ == 0) {
                set(PERTURB_BYTE);
            }
        }
        return new Lease();
    }

    private static void set(int value) {
        Function f = mallopt();
        if (f != null && f.invokeInt(new Object[] {M_PERTURB, value}) != 1) {
            LOG.warn("mallopt(M_PERTURB, {}) was refused", value);
        }
    }

    private static Function mallopt() {
        if (!probed) {
            probed = true;
            try {
                mallopt = NativeLibrary.getInstance("c").getFunction("mallopt");
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("glibc's mallopt is not available ({}): heap memory cannot be filled, a oneDNN fault may "
                        + "repeat after a roll-back", e.toString());
            }
        }
        return mallopt;
    }

    /** One holder's claim on the fill; closing it twice is harmless. */
    public static final class Lease implements AutoCloseable {
        private final AtomicBoolean open = new AtomicBoolean(true);

        private Lease() {
        }

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                synchronized (LOCK) {
                    if (--holders == 0) {
                        set(0);
                    }
                }
            }
        }
    }
}
