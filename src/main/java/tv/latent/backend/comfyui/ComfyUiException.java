package tv.latent.backend.comfyui;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import tv.latent.backend.http.HttpCallException;
import tv.latent.backend.http.HttpFailure;

/**
 * A call to a ComfyUI server failed. Says which server and route, what happened ({@link
 * #kind()}), the HTTP status, prompt and node when known, ComfyUI's node errors for a rejected
 * workflow, and whether trying again may help ({@link #retryable()}).
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class ComfyUiException extends HttpCallException {

    /** What went wrong; each kind has a default for whether a retry may succeed. */
    public enum Kind {
        /** The server could not be reached. */
        CONNECT_FAILED(HttpFailure.CONNECT_FAILED),
        /** The call, or the whole prompt, did not finish within its timeout. */
        TIMEOUT(HttpFailure.TIMEOUT),
        /** The connection closed before the whole answer arrived. */
        DISCONNECTED(HttpFailure.DISCONNECTED),
        /** The server answered 5xx. */
        SERVER_ERROR(HttpFailure.SERVER_ERROR),
        /** The server asked to be called again later (408, 429). */
        BUSY(HttpFailure.BUSY),
        /** Credentials refused (401, 403), e.g. by a proxy in front of ComfyUI. */
        UNAUTHORIZED(HttpFailure.UNAUTHORIZED),
        /** The route or file does not exist (404). */
        NOT_FOUND(HttpFailure.NOT_FOUND),
        /** The server refused the workflow or request (400): see {@link #nodeErrors()}. */
        REJECTED(HttpFailure.REJECTED),
        /** A node raised an exception while the prompt ran ({@code execution_error}). */
        EXECUTION_FAILED(false),
        /** The prompt was interrupted on the server ({@code execution_interrupted}). */
        INTERRUPTED(true),
        /** The answer is not what the protocol promises. */
        MALFORMED_RESPONSE(HttpFailure.MALFORMED_RESPONSE),
        /** Never sent: outputs are only fetched from the server's own {@code /view}; kept so every shared failure has a kind here. */
        REFUSED(HttpFailure.REFUSED),
        /** The server named an output file with a path that could escape its folder. */
        UNSAFE_OUTPUT(false),
        /** The prompt finished without any video output. */
        NO_VIDEO_OUTPUT(false),
        /** The answer or file is larger than the configured limit. */
        TOO_LARGE(HttpFailure.TOO_LARGE),
        /** Reading or writing a local file failed. */
        LOCAL_IO(HttpFailure.LOCAL_IO),
        /** The calling thread was interrupted or the client was closed. */
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

        /** Whether a failure of this kind usually goes away when tried again. */
        public boolean retryable() {
            return retryable;
        }

        /** The kind of the same name: every {@link HttpFailure} has one here. */
        static Kind of(HttpFailure failure) {
            return valueOf(failure.name());
        }
    }

    private final Kind kind;
    private final String promptId;
    private final String nodeId;
    private final boolean retryable;
    private final List<NodeError> nodeErrors;

    private ComfyUiException(Builder b) {
        super(compose(b), b.cause, b.server, b.route, b.status, b.retryAfter);
        kind = b.kind;
        promptId = b.promptId;
        nodeId = b.nodeId;
        retryable = b.retryable == null ? b.kind.retryable() : b.retryable;
        nodeErrors = List.copyOf(b.nodeErrors);
    }

    static Builder of(Kind kind, URI server, String route, String message) {
        return new Builder(kind, server, route, message);
    }

    private static String compose(Builder b) {
        StringBuilder text = describe("ComfyUI", b.route, b.server, b.kind, b.status, b.message);
        if (b.promptId != null) {
            text.append(" [prompt ").append(b.promptId).append(']');
        }
        for (NodeError error : b.nodeErrors) {
            text.append("\n  ").append(error);
        }
        return text.toString();
    }

    public Kind kind() {
        return kind;
    }

    /** Whether the same call may succeed when tried again. */
    @Override
    public boolean retryable() {
        return retryable;
    }

    /** The prompt concerned, or null. */
    public String promptId() {
        return promptId;
    }

    /** The node that failed ({@code execution_error}), or null. */
    public String nodeId() {
        return nodeId;
    }

    /** ComfyUI's per-node validation errors of a rejected workflow; empty otherwise. */
    public List<NodeError> nodeErrors() {
        return nodeErrors;
    }

    static final class Builder {
        private final Kind kind;
        private final URI server;
        private final String route;
        private final String message;
        private int status = -1;
        private String promptId;
        private String nodeId;
        private Boolean retryable;
        private List<NodeError> nodeErrors = List.of();
        private Throwable cause;
        private Duration retryAfter;

        private Builder(Kind kind, URI server, String route, String message) {
            this.kind = Objects.requireNonNull(kind);
            this.server = server;
            this.route = route;
            this.message = message;
        }

        Builder status(int value) {
            status = value;
            return this;
        }

        Builder promptId(String value) {
            promptId = value;
            return this;
        }

        Builder nodeId(String value) {
            nodeId = value;
            return this;
        }

        Builder retryable(boolean value) {
            retryable = value;
            return this;
        }

        Builder nodeErrors(List<NodeError> value) {
            nodeErrors = value;
            return this;
        }

        /** What the server's {@code Retry-After} asked for, or null. */
        Builder retryAfter(Duration value) {
            retryAfter = value;
            return this;
        }

        Builder cause(Throwable value) {
            cause = value;
            return this;
        }

        ComfyUiException build() {
            return new ComfyUiException(this);
        }
    }
}
