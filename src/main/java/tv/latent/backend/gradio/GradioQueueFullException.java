package tv.latent.backend.gradio;

/**
 * The app's queue is full or stopped (HTTP 503 or a {@code queue_full} message). Retryable.
 */
public final class GradioQueueFullException extends GradioException {

    GradioQueueFullException(String endpoint, String detail) {
        super(endpoint, "queue full: " + detail, true, null);
    }
}
