package tv.latent.backend.http;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * A call to a model server failed: which server and route, and the HTTP status when there was
 * one. Each protocol client subclasses it with its own kinds of failure.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public abstract class HttpCallException extends IOException {

    private final URI server;
    private final String route;
    private final int status;
    private final Duration retryAfter;

    protected HttpCallException(String message, Throwable cause, URI server, String route, int status) {
        this(message, cause, server, route, status, null);
    }

    /** @param retryAfter how long the server asked to be left alone ({@link RetryAfter}), or null */
    protected HttpCallException(
            String message, Throwable cause, URI server, String route, int status, Duration retryAfter) {
        super(message, cause);
        this.server = server;
        this.route = route;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    /**
     * The message head every client writes: {@code "<label> <route> on <server>: <KIND> (HTTP
     * <status>): <message>"}, the status part only when there was one.
     */
    protected static StringBuilder describe(
            String label, String route, URI server, Enum<?> kind, int status, String message) {
        var text = new StringBuilder(label)
                .append(' ')
                .append(route)
                .append(" on ")
                .append(server)
                .append(": ")
                .append(kind);
        if (status >= 0) {
            text.append(" (HTTP ").append(status).append(')');
        }
        return text.append(": ").append(message);
    }

    /** Whether the same call may succeed when tried again. */
    public abstract boolean retryable();

    /** Base address of the server that was called. */
    public URI server() {
        return server;
    }

    /** The route that was called, such as {@code POST /prompt}. */
    public String route() {
        return route;
    }

    /** How long the server asked to be left alone (its {@code Retry-After} on a 429 or 503), if it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** HTTP status of the answer, or -1 when no answer (or no status line) arrived. */
    public int status() {
        return status;
    }
}
