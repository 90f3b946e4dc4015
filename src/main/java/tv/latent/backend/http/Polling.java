package tv.latent.backend.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What the clients of hosted queues (fal, Replicate) share around polling a job: waiting within a
 * deadline, and keeping server texts short and free of the caller's secret. Stateless.
 */
public final class Polling {
    /** The longest server text kept in a message. */
    public static final int BRIEF_CHARS = 300;

    private Polling() {}

    /** Sleeps {@code wait}, or until the deadline if that is sooner. */
    public static void pause(Duration wait, Deadline deadline) throws InterruptedException {
        long nanos = Math.min(wait.toNanos(), Math.max(0, deadline.remainingNanos()));
        if (nanos > 0) {
            TimeUnit.NANOSECONDS.sleep(nanos);
        }
    }

    /** {@code text} on one line, at most {@value #BRIEF_CHARS} characters, with {@code secret} (if any) masked. */
    public static String brief(String text, String secret) {
        String one = text == null ? "" : text.replaceAll("\\s+", " ").strip();
        if (secret != null && !secret.isEmpty()) {
            one = one.replace(secret, "***");
        }
        return one.length() <= BRIEF_CHARS ? one : one.substring(0, BRIEF_CHARS) + "...";
    }

    /**
     * Checks a credential before it goes into a header: not blank, printable ASCII only.
     *
     * @return it without surrounding white space
     */
    public static String headerSafe(String value, String what) {
        if (value == null || value.isBlank() || value.strip().chars().anyMatch(c -> c < 33 || c > 126)) {
            throw new IllegalArgumentException(what + " is empty or has characters a header cannot carry");
        }
        return value.strip();
    }
}
