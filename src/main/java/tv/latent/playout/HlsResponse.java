package tv.latent.playout;

/** The answer to an HLS request: a body with its HTTP headers, or a typed not-found. */
public sealed interface HlsResponse {
    /** A playlist or segment. */
    record Found(byte[] body, String contentType, String cacheControl) implements HlsResponse {}

    /** Nothing by that name (unknown channel, malformed name, segment not yet live or gone). */
    record NotFound(String reason) implements HlsResponse {}
}
