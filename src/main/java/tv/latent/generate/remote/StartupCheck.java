package tv.latent.generate.remote;

import java.util.List;
import tv.latent.generate.StageException;

/**
 * A remote stage that can look at its servers when the app starts, before any job runs. Gradio
 * stages compare the function's parameters with the app's {@code /info}, so a Space whose
 * signature changed stops the start with both parameter lists instead of failing every job.
 *
 * <pre>{@code
 * if (stage instanceof StartupCheck check) {
 *   check.checkAtStart().forEach(log::warn);
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public interface StartupCheck {
    /**
     * Connects to each endpoint with short timeouts and checks it.
     *
     * @return warnings for endpoints that could not be reached (asleep, down); those are checked at
     *     their first call instead
     * @throws StageException (not retryable) when a reachable endpoint no longer matches
     */
    List<String> checkAtStart() throws StageException, InterruptedException;
}
