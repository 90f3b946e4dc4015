package tv.latent.backend.replicate;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import tv.latent.backend.http.HttpCallException;
import tv.latent.backend.http.HttpFailure;

/**
 * A call to Replicate's predictions API failed, or a prediction ended without output. Says which
 * server and route, what happened ({@link #kind()}), the HTTP status, the prediction id when there
 * was one, how long the server asked to be left alone ({@code Retry-After}), and whether trying
 * again may help. A failed prediction's error text is kept trimmed (one line, at most 300
 * characters) and without the token.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class ReplicateException extends HttpCallException {

    /** What went wrong; each kind has a default for whether a retry may succeed. */
    public enum Kind {
        CONNECT_FAILED(HttpFailure.CONNECT_FAILED),
        /** A call, or the whole request (then cancelled), did not finish within its time. */
        TIMEOUT(HttpFailure.TIMEOUT),
        DISCONNECTED(HttpFailure.DISCONNECTED),
        /** 5xx; retry. */
        SERVER_ERROR(HttpFailure.SERVER_ERROR),
        /** 429 "Request was throttled" (or 408); see {@link #retryAfter()}. */
        BUSY(HttpFailure.BUSY),
        /** 401/403: the token was refused. */
        UNAUTHORIZED(HttpFailure.UNAUTHORIZED),
        /** 404: no such model, version, prediction, or file (outputs expire after about an hour). */
        NOT_FOUND(HttpFailure.NOT_FOUND),
        /** Another 4xx, such as 422 for an input the model does not take. */
        REJECTED(HttpFailure.REJECTED),
        /** The prediction failed because the model flagged the prompt or image (NSFW, safety); never retry it. */
        CONTENT_POLICY(false),
        /** The prediction ended {@code failed}: the model raised; see the message for its error text. */
        FAILED(false),
        /** The prediction ended {@code canceled} (by someone else, or a deadline on Replicate's side). */
        CANCELED(false),
        /** The prediction succeeded without an output file. */
        NO_OUTPUT(false),
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
    private final String predictionId;
    private final boolean retryable;
    private final Duration retryAfter;

    ReplicateException(
            Kind kind,
            URI server,
            String route,
            int status,
            String predictionId,
            String message,
            Boolean retryable,
            Duration retryAfter,
            Throwable cause) {
        super(compose(kind, server, route, status, predictionId, message), cause, server, route, status);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.predictionId = predictionId;
        this.retryable = retryable == null ? kind.retryable() : retryable;
        this.retryAfter = retryAfter;
    }

    private static String compose(
            Kind kind, URI server, String route, int status, String predictionId, String message) {
        StringBuilder text = describe("Replicate", route, server, kind, status, message);
        if (predictionId != null) {
            text.append(" [prediction ").append(predictionId).append(']');
        }
        return text.toString();
    }

    public Kind kind() {
        return kind;
    }

    /**
     * Whether the same call may succeed when tried again.
     */
    @Override
    public boolean retryable() {
        return retryable;
    }

    /** The prediction concerned, or null before one was created. */
    public String predictionId() {
        return predictionId;
    }

    /** How long the server asked to be left alone, if it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
