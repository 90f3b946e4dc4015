package tv.latent.backend.http;

/**
 * What went wrong in an HTTP call, in the terms every protocol client shares. Each client maps
 * these onto its own exception kinds, which keep the protocol-specific ones besides.
 */
public enum HttpFailure {
    CONNECT_FAILED,
    TIMEOUT,
    DISCONNECTED,
    SERVER_ERROR,
    BUSY,
    UNAUTHORIZED,
    NOT_FOUND,
    REJECTED,
    MALFORMED_RESPONSE,
    TOO_LARGE,
    LOCAL_IO,
    CANCELLED;

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
