package tv.latent.generate;

import java.io.IOException;

/**
 * A stage run that failed, saying whether trying again may help (a timeout, a full queue, a 5xx)
 * or not (a rejected prompt, an output that is not video).
 */
public class StageException extends IOException {
    private final boolean retryable;

    public StageException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    public StageException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
