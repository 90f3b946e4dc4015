package tv.latent.pipeline;

import java.time.Duration;
import java.util.concurrent.Semaphore;

/**
 * One configured backend of a stage: its name (as in the YAML), the implementation, and the cap on
 * calls running at once across all jobs and channels.
 */
public record Backend<T extends AutoCloseable>(String name, T impl, Semaphore permits, Duration timeout) {
    public static <T extends AutoCloseable> Backend<T> of(String name, T impl, int concurrency, Duration timeout) {
        return new Backend<>(name, impl, new Semaphore(concurrency, true), timeout);
    }
}
