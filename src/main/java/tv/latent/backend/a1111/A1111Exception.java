package tv.latent.backend.a1111;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import tv.latent.backend.http.HttpCallException;
import tv.latent.backend.http.HttpFailure;

/**
 * A call to an AUTOMATIC1111 text2video server failed. Says which server and route, what
 * happened ({@link #kind()}), the HTTP status when there was one, the server's own {@code
 * detail} when it gave one, and whether trying again may help ({@link #retryable()}).
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class A1111Exception extends HttpCallException {

    /** What went wrong; each kind knows whether a retry may succeed. */
    public enum Kind {
        /** The server could not be reached (refused, unknown host, TLS failure). */
        CONNECT_FAILED(HttpFailure.CONNECT_FAILED),
        /** The call did not finish within its timeout. */
        TIMEOUT(HttpFailure.TIMEOUT),
        /** The connection closed before the whole answer arrived. */
        DISCONNECTED(HttpFailure.DISCONNECTED),
        /** The server answered 5xx (500 carries the extension's {@code detail}). */
        SERVER_ERROR(HttpFailure.SERVER_ERROR),
        /** The server asked to be called again later (408, 429). */
        BUSY(HttpFailure.BUSY),
        /** The server refused the credentials (401, 403): check {@code --api-auth}. */
        UNAUTHORIZED(HttpFailure.UNAUTHORIZED),
        /** The route does not exist (404): the extension is missing or A1111 runs without --api. */
        NOT_FOUND(HttpFailure.NOT_FOUND),
        /** The server rejected the request (4xx other than the above, e.g. 422 validation). */
        REJECTED(HttpFailure.REJECTED),
        /** The server speaks an API version this client does not. */
        INCOMPATIBLE(false),
        /** The answer is not what the protocol promises (content type, JSON, data URL, base64). */
        MALFORMED_RESPONSE(HttpFailure.MALFORMED_RESPONSE),
        /** The answer is larger than the configured limit. */
        TOO_LARGE(HttpFailure.TOO_LARGE),
        /** Never sent: A1111 answers videos inline; kept so every shared failure has a kind here. */
        REFUSED(HttpFailure.REFUSED),
        /** The video check judged a returned video to be the extension's placeholder error video. */
        PLACEHOLDER_VIDEO(true),
        /** Writing the video to the local disk failed. */
        LOCAL_IO(HttpFailure.LOCAL_IO),
        /** The calling thread was interrupted; the interrupt flag is set again. */
        CANCELLED(HttpFailure.CANCELLED);

        private final boolean retryable;

        /** A failure every client shares, retryable as {@link HttpFailure} says. */
        Kind(HttpFailure shared) {
            this(shared.retryable());
        }

        /** A failure of this protocol only. */
        Kind(boolean retryable) {
            this.retryable = retryable;
        }

        /** Whether a failure of this kind may go away when the same call is tried again. */
        public boolean retryable() {
            return retryable;
        }

        /** The kind of the same name: every {@link HttpFailure} has one here. */
        static Kind of(HttpFailure failure) {
            return valueOf(failure.name());
        }
    }

    private final Kind kind;
    private final String detail;

    A1111Exception(Kind kind, URI server, String route, int status, String detail, String message, Throwable cause) {
        this(kind, server, route, status, detail, message, cause, null);
    }

    /** @param retryAfter what the server's {@code Retry-After} asked for, or null */
    A1111Exception(
            Kind kind,
            URI server,
            String route,
            int status,
            String detail,
            String message,
            Throwable cause,
            Duration retryAfter) {
        super(compose(kind, server, route, status, message, detail), cause, server, route, status, retryAfter);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.detail = detail;
    }

    A1111Exception(Kind kind, URI server, String route, String message, Throwable cause) {
        this(kind, server, route, -1, null, message, cause);
    }

    private static String compose(Kind kind, URI server, String route, int status, String message, String detail) {
        StringBuilder text = describe("A1111", route, server, kind, status, message);
        if (detail != null && !detail.isBlank()) {
            text.append(" [detail: ").append(detail).append(']');
        }
        return text.toString();
    }

    /** What went wrong. */
    public Kind kind() {
        return kind;
    }

    /** Whether the same call may succeed when tried again (5xx, timeouts, disconnects). */
    @Override
    public boolean retryable() {
        return kind.retryable();
    }

    /** The server's {@code detail} text, or {@code null} when it gave none. */
    public String detail() {
        return detail;
    }
}
