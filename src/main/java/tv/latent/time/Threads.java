package tv.latent.time;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;

/**
 * Stopping worker threads within a bound, as every {@code close()} does: interrupt them, then
 * wait a bounded time for each to end.
 *
 * <pre>{@code
 * Threads.stop(Duration.ofSeconds(5), reader, sender); // a null thread (never started) is skipped
 * }</pre>
 *
 * <p>Thread-safe (stateless).
 */
public final class Threads {
    private Threads() {}

    /** {@link #stop(Duration, Collection)} of the given threads; nulls are skipped. */
    public static void stop(Duration patience, Thread... threads) {
        stop(patience, Arrays.asList(threads));
    }

    /**
     * Interrupts every thread, then waits up to {@code patience} for each to end, one after the
     * other; a thread still running after that is left to end by itself. When the calling thread is
     * interrupted while it waits, it stops waiting and keeps its interrupt flag set.
     *
     * @param threads the threads to stop; nulls (threads never started) are skipped
     */
    public static void stop(Duration patience, Collection<? extends Thread> threads) {
        for (Thread t : threads) {
            if (t != null) {
                t.interrupt();
            }
        }
        for (Thread t : threads) {
            if (t == null) {
                continue;
            }
            try {
                t.join(patience);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
