package tv.latent.backend.gradio;

import java.time.Duration;

/** An instant by which something must be done, on the monotonic clock. */
record Deadline(long atNanos, Duration budget) {

    static Deadline after(Duration budget) {
        return new Deadline(System.nanoTime() + budget.toNanos(), budget);
    }

    long remainingNanos() {
        return atNanos - System.nanoTime();
    }

    boolean expired() {
        return remainingNanos() <= 0;
    }

    /** The shorter of {@code limit} and the time left, never zero (HttpClient refuses zero). */
    Duration cap(Duration limit) {
        long left = Math.max(remainingNanos(), 1_000_000L);
        return Duration.ofNanos(Math.min(left, limit.toNanos()));
    }
}
