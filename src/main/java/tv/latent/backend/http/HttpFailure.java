package tv.latent.backend.http;

/**
 * What went wrong in an HTTP call, in the terms every protocol client shares, each with whether
 * the same call may succeed when tried again. Each client maps these onto its own exception
 * kinds, which keep the protocol-specific ones besides.
 */
public enum HttpFailure {
    /** The server could not be reached (refused, unknown host, TLS failure). */
    CONNECT_FAILED(true),
    /** The call did not finish within its time limit. */
    TIMEOUT(true),
    /** The connection closed before the whole answer arrived. */
    DISCONNECTED(true),
    /** The server answered 5xx. */
    SERVER_ERROR(true),
    /** The server asked to be called again later (408, 429). */
    BUSY(true),
    /** The server refused the credentials (401, 403). */
    UNAUTHORIZED(false),
    /** The route or file does not exist (404). */
    NOT_FOUND(false),
    /** The server rejected the request (another 4xx). */
    REJECTED(false),
    /** The answer is not what the protocol promises; a later answer may be. */
    MALFORMED_RESPONSE(true),
    /** The answer or file is larger than the configured limit. */
    TOO_LARGE(false),
    /**
     * LatentTV refused to go where the server pointed: a file URL or redirect to another host, or
     * to a loopback, link-local or private address (see {@link DownloadPolicy}).
     */
    REFUSED(false),
    /** Reading or writing a local file failed. */
    LOCAL_IO(false),
    /** The calling thread was interrupted or the client was closed. */
    CANCELLED(false);

    private final boolean retryable;

    HttpFailure(boolean retryable) {
        this.retryable = retryable;
    }

    /** Whether a failure of this kind may go away when the same call is tried again. */
    public boolean retryable() {
        return retryable;
    }

    /** The failure an unexpected HTTP status stands for: 401/403, 404, 408/429, other 4xx, 5xx. */
    public static HttpFailure ofStatus(int status) {
        if (status == 401 || status == 403) {
            return UNAUTHORIZED;
        } else if (status == 404) {
            return NOT_FOUND;
        } else if (status == 408 || status == 429) {
            return BUSY;
        } else if (status >= 400 && status < 500) {
            return REJECTED;
        } else if (status >= 500) {
            return SERVER_ERROR;
        }
        return MALFORMED_RESPONSE;
    }
}
