package tv.latent.backend.http;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * An answer read whole into memory, within a byte limit ({@link HttpTransport#exchange}).
 *
 * <p>Immutable by convention: nobody writes into {@code body}. Safe to share between threads.
 *
 * @param uri where the answer came from (the last hop when redirects were followed)
 */
public record HttpAnswer(int status, HttpHeaders headers, byte[] body, URI uri) {

    /** The {@code Content-Type} header in lower case, or "" when there is none. */
    public String contentType() {
        return headers.firstValue("content-type").orElse("").toLowerCase(Locale.ROOT);
    }

    /** The body as UTF-8 text. */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
