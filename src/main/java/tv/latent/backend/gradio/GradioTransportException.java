package tv.latent.backend.gradio;

/**
 * The conversation with the server broke: a disconnect mid-stream, malformed JSON, a wrong
 * content type, an unreadable answer. Retryable when the connection dropped, not when the server
 * spoke garbage.
 */
public final class GradioTransportException extends GradioException {

    GradioTransportException(String endpoint, String detail, boolean retryable, Throwable cause) {
        super(endpoint, detail, retryable, cause);
    }
}
