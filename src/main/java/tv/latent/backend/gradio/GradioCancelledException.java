package tv.latent.backend.gradio;

/**
 * The calling thread was interrupted; a cancel was sent best-effort and the thread's interrupt
 * flag is set again.
 */
public final class GradioCancelledException extends GradioException {

    GradioCancelledException(String endpoint, Throwable cause) {
        super(endpoint, "cancelled: the calling thread was interrupted", false, cause);
    }
}
