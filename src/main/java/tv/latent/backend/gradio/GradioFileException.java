package tv.latent.backend.gradio;

/**
 * A file could not be sent or fetched safely: over the size limit, an unsafe URL or redirect, a
 * local I/O failure. Not retryable.
 */
public final class GradioFileException extends GradioException {

    GradioFileException(String endpoint, String detail, Throwable cause) {
        super(endpoint, detail, false, cause);
    }
}
