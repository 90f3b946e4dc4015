package tv.latent.web;

/**
 * An HTTP error the web layer answers with a JSON body {@code {"error": "...", "status": 404}}.
 * The message is shown to the client, so it never carries a path or a secret.
 */
final class HttpError extends RuntimeException {
    private final int status;
    private final int retryAfterSeconds;

    HttpError(int status, String message) {
        this(status, message, 0);
    }

    private HttpError(int status, String message, int retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    static HttpError notFound(String message) {
        return new HttpError(404, message);
    }

    static HttpError badRequest(String message) {
        return new HttpError(400, message);
    }

    /** 429: the client asked too often; it may try again after {@code retryAfterSeconds}. */
    static HttpError tooMany(String message, int retryAfterSeconds) {
        return new HttpError(429, message, retryAfterSeconds);
    }

    /** 503: the origin is at a cap; the client may try again after {@code retryAfterSeconds}. */
    static HttpError unavailable(String message, int retryAfterSeconds) {
        return new HttpError(503, message, retryAfterSeconds);
    }

    int status() {
        return status;
    }

    /** Seconds for a {@code Retry-After} header, 0 for none. */
    int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
