package tv.latent.backend.gradio;

/**
 * The hub or the app refused the credentials (HTTP 401/403, a failed login, or a login needed
 * and none configured). Not retryable.
 */
public final class GradioAuthException extends GradioException {

    GradioAuthException(String endpoint, String detail) {
        super(endpoint, detail, false, null);
    }
}
