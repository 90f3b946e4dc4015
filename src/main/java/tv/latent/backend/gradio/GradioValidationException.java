package tv.latent.backend.gradio;

/**
 * The app rejected the input (HTTP 422 or 400). Not retryable: fix the input.
 */
public final class GradioValidationException extends GradioException {

    private final int status;

    GradioValidationException(String endpoint, int status, String detail) {
        super(endpoint, "input rejected (HTTP " + status + "): " + detail, false, null);
        this.status = status;
    }

    /** The HTTP status, 422 or 400. */
    public int status() {
        return status;
    }
}
