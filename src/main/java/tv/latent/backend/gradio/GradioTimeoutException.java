package tv.latent.backend.gradio;

/**
 * The call did not finish within its time limit; a cancel was sent best-effort. Retryable.
 */
public final class GradioTimeoutException extends GradioException {

    GradioTimeoutException(String endpoint, String detail, Throwable cause) {
        super(endpoint, "timed out: " + detail, true, cause);
    }
}
