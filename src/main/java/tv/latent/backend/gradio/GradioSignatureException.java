package tv.latent.backend.gradio;

/**
 * The app's API is not what the caller expects: an unknown endpoint or different parameters. Not
 * retryable: update the configured mapping.
 */
public final class GradioSignatureException extends GradioException {

    GradioSignatureException(String endpoint, String detail) {
        super(endpoint, detail, false, null);
    }
}
