package tv.latent.backend.moderation;

import java.net.URI;
import java.util.Objects;
import tv.latent.backend.http.HttpCallException;
import tv.latent.backend.http.HttpFailure;

/**
 * A call to a moderation endpoint failed: which server and route, what happened ({@link
 * #kind()}), the HTTP status when there was one and the server's own error message when it gave
 * one (never the API key).
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class ModerationException extends HttpCallException {

    /** What went wrong; each kind knows whether a retry may succeed. */
    public enum Kind {
        CONNECT_FAILED(HttpFailure.CONNECT_FAILED),
        TIMEOUT(HttpFailure.TIMEOUT),
        DISCONNECTED(HttpFailure.DISCONNECTED),
        SERVER_ERROR(HttpFailure.SERVER_ERROR),
        /** 408 or 429: the server asks to be called later. */
        BUSY(HttpFailure.BUSY),
        /** 401 or 403: the key is missing or wrong. */
        UNAUTHORIZED(HttpFailure.UNAUTHORIZED),
        /** 404: the base URL does not end where {@code /moderations} is. */
        NOT_FOUND(HttpFailure.NOT_FOUND),
        /** Another 4xx, such as an unknown model. */
        REJECTED(HttpFailure.REJECTED),
        /** The answer is not the JSON the protocol promises. */
        MALFORMED_RESPONSE(HttpFailure.MALFORMED_RESPONSE),
        TOO_LARGE(HttpFailure.TOO_LARGE),
        LOCAL_IO(HttpFailure.LOCAL_IO),
        CANCELLED(HttpFailure.CANCELLED);

        private final boolean retryable;

        Kind(HttpFailure shared) {
            this.retryable = shared.retryable();
        }

        public boolean retryable() {
            return retryable;
        }

        static Kind of(HttpFailure failure) {
            return valueOf(failure.name());
        }
    }

    private final Kind kind;

    ModerationException(Kind kind, URI server, String route, int status, String message, Throwable cause) {
        super(describe("moderation", route, server, kind, status, message).toString(), cause, server, route, status);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }

    @Override
    public boolean retryable() {
        return kind.retryable();
    }
}
