package tv.latent.backend.a1111;

import java.io.IOException;

/** A failure while reading an answer's body; the client adds the server and route. */
final class BodyException extends IOException {
    private final A1111Exception.Kind kind;

    BodyException(A1111Exception.Kind kind, String message) {
        this(kind, message, null);
    }

    BodyException(A1111Exception.Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    A1111Exception.Kind kind() {
        return kind;
    }
}
