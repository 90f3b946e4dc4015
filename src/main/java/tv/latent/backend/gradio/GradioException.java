package tv.latent.backend.gradio;

import java.io.IOException;

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

    GradioException(String endpoint, String detail, boolean retryable, Throwable cause) {
        super(endpoint + ": " + detail, cause);
        this.endpoint = endpoint;
        this.retryable = retryable;
    }

    /** What was being called, for example {@code POST https://a-b.hf.space/gradio_api/queue/join}. */
    public String endpoint() {
        return endpoint;
    }

    /** Whether the same call may succeed if tried again later. */
    public boolean retryable() {
        return retryable;
    }
}
