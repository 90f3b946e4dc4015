package tv.latent.backend.gradio;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * Base of every failure the Gradio client reports. Each subclass names one situation a caller can
 * act on; {@link #retryable()} says whether trying the same call again later may succeed
 * (server errors, a full queue, timeouts, dropped connections) or not (bad input, app errors,
 * missing Space, credentials).
 *
 * <p>Messages name the endpoint and what happened; they never contain the access token.
 */
public abstract sealed class GradioException extends IOException
        permits GradioAppException,
                GradioAuthException,
                GradioCancelledException,
                GradioFileException,
                GradioHttpException,
                GradioQueueFullException,
                GradioSignatureException,
                GradioSpaceException,
                GradioTimeoutException,
                GradioTransportException,
                GradioValidationException {

    private final String endpoint;
    private final boolean retryable;
    private final Duration retryAfter;

    GradioException(String endpoint, String detail, boolean retryable, Throwable cause) {
        this(endpoint, detail, retryable, cause, null);
    }

    /** @param retryAfter what the server's {@code Retry-After} asked for, or null */
    GradioException(String endpoint, String detail, boolean retryable, Throwable cause, Duration retryAfter) {
        super(endpoint + ": " + detail, cause);
        this.endpoint = endpoint;
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    /** What was being called, for example {@code POST https://a-b.hf.space/gradio_api/queue/join}. */
    public String endpoint() {
        return endpoint;
    }

    /** How long the server asked to be left alone (its {@code Retry-After} on a 429 or 503), if it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** Whether the same call may succeed if tried again later. */
    public boolean retryable() {
        return retryable;
    }
}
