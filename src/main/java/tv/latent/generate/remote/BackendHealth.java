package tv.latent.generate.remote;

import java.util.Optional;

/**
 * A remote stage that can say it stopped calling its servers because its credentials were refused
 * (for the API, metrics and logs). Thread-safe.
 */
public interface BackendHealth {
    /** Why the backend is marked misconfigured, or empty while it is usable. */
    Optional<String> misconfigured();
}
