package tv.latent.backend.http;

import java.time.Duration;

/**
 * An instant by which a call must be done, on the monotonic clock ({@link System#nanoTime}), with
 * the budget it was given (for messages).
 *
 * <pre>{@code
 * Deadline deadline = Deadline.after(Duration.ofSeconds(30));
 * HttpRequest request = HttpRequest.newBuilder(uri).timeout(deadline.cap(requestTimeout)).build();
 * }</pre>
 *
 * <p>Immutable and safe to share between threads.
 *
 * @param atNanos the {@link System#nanoTime} value at which the time is up
 * @param budget the time the call was given
 */
public record Deadline(long atNanos, Duration budget) {

    /** The deadline {@code budget} from now. */
    public static Deadline after(Duration budget) {
        return new Deadline(System.nanoTime() + budget.toNanos(), budget);
    }

    /** Nanoseconds left; zero or negative once the time is up. */
    public long remainingNanos() {
        return atNanos - System.nanoTime();
    }

    public boolean expired() {
        return remainingNanos() <= 0;
    }

    /** The shorter of {@code limit} and the time left, never zero (HttpClient refuses zero). */
    public Duration cap(Duration limit) {
        long left = Math.max(remainingNanos(), 1_000_000L);
        return Duration.ofNanos(Math.min(left, limit.toNanos()));
    }
}
