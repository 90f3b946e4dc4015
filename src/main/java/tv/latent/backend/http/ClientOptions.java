package tv.latent.backend.http;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;

/** Checks the protocol clients' builders share. Stateless. */
public final class ClientOptions {
    private ClientOptions() {}

    /** Accepts {@code http(s)://host[:port][/path]} without query or fragment. */
    public static URI requireBaseUri(URI baseUri) {
        Objects.requireNonNull(baseUri, "baseUri");
        String scheme = baseUri.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme) || baseUri.getHost() == null) {
            throw new IllegalArgumentException("base URI must be http(s)://host[:port][/path], was " + baseUri);
        }
        if (baseUri.getRawQuery() != null || baseUri.getRawFragment() != null) {
            throw new IllegalArgumentException("base URI must have no query or fragment: " + baseUri);
        }
        return baseUri;
    }

    /** {@code baseUri} as text without a trailing slash, ready for a path to be appended. */
    public static String withoutTrailingSlash(URI baseUri) {
        String text = baseUri.toString();
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    /** The {@code Authorization} header value for HTTP basic credentials. */
    public static String basicAuthorization(String user, String password) {
        if (user == null || user.isEmpty() || user.contains(":") || password == null) {
            throw new IllegalArgumentException("basic auth needs a user without ':' and a password");
        }
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public static void requirePositive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
    }
}
