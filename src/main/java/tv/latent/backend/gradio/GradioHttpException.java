package tv.latent.backend.gradio;

/**
 * An HTTP status the other exceptions do not cover. Retryable for 5xx, 408 and 429.
 */
public final class GradioHttpException extends GradioException {

    private final int status;

    GradioHttpException(String endpoint, int status, String detail) {
        super(endpoint, "HTTP " + status + ": " + detail, status >= 500 || status == 429 || status == 408, null);
        this.status = status;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }
}
