package tv.latent.moderation;

import java.io.IOException;

/**
 * The moderation endpoint could not answer, so a text could not be checked and must not be used
 * yet (the gate fails closed). The message names the endpoint's failure, never its key.
 */
public final class ModerationUnavailableException extends IOException {
    ModerationUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
