package tv.latent.generate;

/**
 * A model refused the shot's content (a hosted app's content policy, a safety checker). Never
 * retryable, and not a fault of the backend: the pipeline fails the shot at once, without trying
 * the rest of the chain with the same prompt, and the director writes another in its place.
 */
public class ContentRefusedException extends StageException {
    public ContentRefusedException(String message, Throwable cause) {
        super(message, false, cause);
    }
}
