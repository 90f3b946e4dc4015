package tv.latent.backend.gradio;

/**
 * The Hugging Face Space cannot serve: paused, not found, broken, or still asleep after the wake
 * timeout (only the last is retryable).
 */
public final class GradioSpaceException extends GradioException {

    private final String stage;

    GradioSpaceException(String endpoint, String stage, String detail, boolean retryable) {
        super(endpoint, detail, retryable, null);
        this.stage = stage;
    }

    /** The Space's runtime stage as the hub reported it (PAUSED, SLEEPING...), or null if unknown. */
    public String stage() {
        return stage;
    }
}
