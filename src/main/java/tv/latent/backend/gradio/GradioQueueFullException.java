package tv.latent.backend.gradio;

import java.time.Duration;

/**
 * The app's queue is full or stopped (HTTP 503 or a {@code queue_full} message). Retryable.
 */
public final class GradioQueueFullException extends GradioException {

    GradioQueueFullException(String endpoint, String detail) {
        this(endpoint, detail, null);
    }

    /** @param retryAfter what the server's {@code Retry-After} asked for, or null */
    GradioQueueFullException(String endpoint, String detail, Duration retryAfter) {
        super(endpoint, "queue full: " + detail, true, null, retryAfter);
    }
}
