package tv.latent.web;

/**
 * An HTTP error the web layer answers with a JSON body {@code {"error": "...", "status": 404}}.
 * The message is shown to the client, so it never carries a path or a secret.
 */
final class HttpError extends RuntimeException {
    private final int status;

    HttpError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    static HttpError notFound(String message) {
        return new HttpError(404, message);
    }

    static HttpError badRequest(String message) {
        return new HttpError(400, message);
    }

    int status() {
        return status;
    }
}
