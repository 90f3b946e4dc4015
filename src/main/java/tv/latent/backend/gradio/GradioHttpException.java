package tv.latent.backend.gradio;

import java.time.Duration;

/**
 * An HTTP status the other exceptions do not cover. Retryable for 5xx, 408 and 429.
 */
public final class GradioHttpException extends GradioException {

    private final int status;

    GradioHttpException(String endpoint, int status, String detail) {
        this(endpoint, status, detail, null);
    }

    /** @param retryAfter what the server's {@code Retry-After} asked for, or null */
    GradioHttpException(String endpoint, int status, String detail, Duration retryAfter) {
        super(
                endpoint,
                "HTTP " + status + ": " + detail,
                status >= 500 || status == 429 || status == 408,
                null,
                retryAfter);
        this.status = status;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }
}
