package tv.latent.backend.fal;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import tv.latent.backend.http.HttpCallException;
import tv.latent.backend.http.HttpFailure;

/**
 * A call to a fal queue (or the Hugging Face router's fal route) failed. Says which server and
 * route, what happened ({@link #kind()}), the HTTP status, the request id when there was one, how
 * long the server asked to be left alone ({@code Retry-After}), and whether trying again may help.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class FalException extends HttpCallException {

    /** What went wrong; each kind has a default for whether a retry may succeed. */
    public enum Kind {
        CONNECT_FAILED(HttpFailure.CONNECT_FAILED),
        /** A call, or the whole request (then cancelled), did not finish within its time. */
        TIMEOUT(HttpFailure.TIMEOUT),
        DISCONNECTED(HttpFailure.DISCONNECTED),
        /** 5xx: fal does not charge these; retry. */
        SERVER_ERROR(HttpFailure.SERVER_ERROR),
        /** 429 (or 408): over the rate limit; see {@link #retryAfter()}. */
        BUSY(HttpFailure.BUSY),
        /** 401/403: the key or token was refused. */
        UNAUTHORIZED(HttpFailure.UNAUTHORIZED),
        /** 404: no such app, request, or file (a result link that expired). */
        NOT_FOUND(HttpFailure.NOT_FOUND),
        /** Another 4xx, or a 422 that names the input's fields. */
        REJECTED(HttpFailure.REJECTED),
        /** 422 {@code content_policy_violation}: the app refuses this prompt or image; never retry it. */
        CONTENT_POLICY(false),
        MALFORMED_RESPONSE(HttpFailure.MALFORMED_RESPONSE),
        TOO_LARGE(HttpFailure.TOO_LARGE),
        LOCAL_IO(HttpFailure.LOCAL_IO),
        CANCELLED(HttpFailure.CANCELLED);

        private final boolean retryable;

        Kind(HttpFailure shared) {
            this(shared.retryable());
        }

        Kind(boolean retryable) {
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }

        static Kind of(HttpFailure failure) {
            return valueOf(failure.name());
        }
    }

    private final Kind kind;
    private final String requestId;
    private final boolean retryable;
    private final Duration retryAfter;

    FalException(
            Kind kind,
            URI server,
            String route,
            int status,
            String requestId,
            String message,
            Boolean retryable,
            Duration retryAfter,
            Throwable cause) {
        super(compose(kind, server, route, status, requestId, message), cause, server, route, status);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.requestId = requestId;
        this.retryable = retryable == null ? kind.retryable() : retryable;
        this.retryAfter = retryAfter;
    }

    private static String compose(Kind kind, URI server, String route, int status, String requestId, String message) {
        StringBuilder text = describe("fal", route, server, kind, status, message);
        if (requestId != null) {
            text.append(" [request ").append(requestId).append(']');
        }
        return text.toString();
    }

    public Kind kind() {
        return kind;
    }

    /**
     * Whether the same call may succeed when tried again: the kind's default, unless the server
     * said otherwise ({@code X-Fal-Retryable}).
     */
    @Override
    public boolean retryable() {
        return retryable;
    }

    /** The request concerned, or null before one was queued. */
    public String requestId() {
        return requestId;
    }

    /** How long the server asked to be left alone, if it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
