package tv.latent.generate;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * A stage run that failed, saying whether trying again may help (a timeout, a full queue, a 5xx)
 * or not (a rejected prompt, an output that is not video), and how long the server asked to be
 * left alone ({@code Retry-After}), if it did.
 */
public class StageException extends IOException {
    private final boolean retryable;
    private final Duration retryAfter;

    public StageException(String message, boolean retryable) {
        this(message, retryable, null, null);
    }

    public StageException(String message, boolean retryable, Throwable cause) {
        this(message, retryable, cause, null);
    }

    /** @param retryAfter what the server asked for (its {@code Retry-After}), or null */
    public StageException(String message, boolean retryable, Throwable cause, Duration retryAfter) {
        super(message, cause);
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    /** How long the server asked to be left alone, if it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    public boolean retryable() {
        return retryable;
    }
}
