package tv.latent.pipeline;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import tv.latent.config.Price;

/**
 * One configured backend of a stage: its name (as in the YAML), the implementation, the cap on
 * calls running at once across all jobs and channels, and what one call costs.
 */
public record Backend<T extends AutoCloseable>(String name, T impl, Semaphore permits, Duration timeout, Price price) {

    public Backend {
        price = price == null ? Price.FREE : price;
    }

    /** A free backend. */
    public Backend(String name, T impl, Semaphore permits, Duration timeout) {
        this(name, impl, permits, timeout, Price.FREE);
    }

    public static <T extends AutoCloseable> Backend<T> of(String name, T impl, int concurrency, Duration timeout) {
        return of(name, impl, concurrency, timeout, Price.FREE);
    }

    public static <T extends AutoCloseable> Backend<T> of(
            String name, T impl, int concurrency, Duration timeout, Price price) {
        return new Backend<>(name, impl, new Semaphore(concurrency, true), timeout, price);
    }
}
