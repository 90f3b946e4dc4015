package tv.latent.backend.speech;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import tv.latent.backend.http.HttpCallException;
import tv.latent.backend.http.HttpFailure;

/**
 * A call to a speech server failed: which server and route, what happened ({@link #kind()}), the
 * HTTP status when there was one, the server's own message when it gave one, and whether trying
 * again may help.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class SpeechException extends HttpCallException {

    /** What went wrong; each kind knows whether a retry may succeed. */
    public enum Kind {
        CONNECT_FAILED(HttpFailure.CONNECT_FAILED),
        TIMEOUT(HttpFailure.TIMEOUT),
        DISCONNECTED(HttpFailure.DISCONNECTED),
        SERVER_ERROR(HttpFailure.SERVER_ERROR),
        BUSY(HttpFailure.BUSY),
        /** The key was refused (401, 403): check the key's environment variable. */
        UNAUTHORIZED(HttpFailure.UNAUTHORIZED),
        /** No such route (404): not a speech server, or another path. */
        NOT_FOUND(HttpFailure.NOT_FOUND),
        /** The server refused the request (another 4xx: an unknown voice or model, a bad speed). */
        REJECTED(HttpFailure.REJECTED),
        /** The answer is not audio (a success answered with an error page or JSON). */
        MALFORMED_RESPONSE(HttpFailure.MALFORMED_RESPONSE),
        /** The audio is larger than the limit (or never ends). */
        TOO_LARGE(HttpFailure.TOO_LARGE),
        /** Never sent: the audio comes in the answer itself; kept so every shared failure has a kind. */
        REFUSED(HttpFailure.REFUSED),
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

    SpeechException(
            Kind kind, URI server, String route, int status, String message, Throwable cause, Duration retryAfter) {
        super(
                describe("speech", route, server, kind, status, message).toString(),
                cause,
                server,
                route,
                status,
                retryAfter);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    SpeechException(Kind kind, URI server, String route, String message, Throwable cause) {
        this(kind, server, route, -1, message, cause, null);
    }

    public Kind kind() {
        return kind;
    }

    @Override
    public boolean retryable() {
        return kind.retryable();
    }
}
