package tv.latent.generate.remote;

import java.util.Optional;
import tv.latent.generate.StageException;

/**
 * Whether a backend's credentials were refused (401/403). Once they are, every later call fails at
 * once without touching the network, so the chain falls back and a wrong key costs one call, not
 * one per shot; a key comes from the environment, so only a restart can change it.
 *
 * <p>Thread-safe.
 */
final class Misconfiguration {
    private final String backend;
    private volatile String reason;

    Misconfiguration(String backend) {
        this.backend = backend;
    }

    /** Fails, not retryable, when the backend was marked misconfigured. */
    void check() throws StageException {
        String why = reason;
        if (why != null) {
            throw new StageException(backend + " is misconfigured (" + why + "); fix its key and restart", false);
        }
    }

    void mark(String why) {
        reason = why;
    }

    Optional<String> reason() {
        return Optional.ofNullable(reason);
    }
}
