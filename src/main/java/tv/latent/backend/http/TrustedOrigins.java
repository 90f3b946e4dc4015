package tv.latent.backend.http;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Credentials that go only where they belong: a set of trusted origins (scheme, host and port),
 * the headers every request to them carries (such as a token) and the cookies they set (after a
 * login). A request to any other origin, such as a redirect to a CDN or a file URL a server
 * names, carries none of them.
 *
 * <pre>{@code
 * var credentials = new TrustedOrigins(Map.of("Authorization", "Bearer " + token));
 * credentials.trust(appRoot);
 * HttpRequest request = credentials.apply(HttpRequest.newBuilder(uri), uri).GET().build();
 * }</pre>
 *
 * <p>Bounded by what the trusted servers send: one cookie jar per trusted origin, one value per
 * cookie name. {@link #toString} never shows the headers' values. Thread-safe.
 */
public final class TrustedOrigins {
    private final Map<String, String> headers;
    private final Set<String> origins = ConcurrentHashMap.newKeySet();
    private final Map<String, Map<String, String>> cookiesByOrigin = new ConcurrentHashMap<>();

    /** @param headers sent, in this order, on every request to a trusted origin */
    public TrustedOrigins(Map<String, String> headers) {
        this.headers = new LinkedHashMap<>(headers);
    }

    /** Credentials and cookies go to this URI's origin from now on. */
    public void trust(URI uri) {
        origins.add(origin(uri));
    }

    /** {@code scheme://host:port} in lower case, with the scheme's default port filled in. */
    public static String origin(URI uri) {
        String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
        return scheme + "://" + String.valueOf(uri.getHost()).toLowerCase(Locale.ROOT) + ":" + port;
    }

    /** Adds the headers and cookies to {@code builder} when {@code uri}'s origin is trusted. */
    public HttpRequest.Builder apply(HttpRequest.Builder builder, URI uri) {
        String origin = origin(uri);
        if (!origins.contains(origin)) {
            return builder;
        }
        headers.forEach(builder::header);
        Map<String, String> cookies = cookiesByOrigin.get(origin);
        if (cookies != null && !cookies.isEmpty()) {
            StringBuilder header = new StringBuilder();
            cookies.forEach((k, v) -> header.append(header.isEmpty() ? "" : "; ")
                    .append(k)
                    .append('=')
                    .append(v));
            builder.header("Cookie", header.toString());
        }
        return builder;
    }

    /** Keeps the cookies an answer from {@code uri} sets, for later requests to the same origin. */
    public void keepCookies(URI uri, HttpHeaders answerHeaders) {
        Map<String, String> jar = cookiesByOrigin.computeIfAbsent(origin(uri), k -> new ConcurrentHashMap<>());
        for (String header : answerHeaders.allValues("set-cookie")) {
            String pair = header.split(";", 2)[0];
            int eq = pair.indexOf('=');
            if (eq > 0) {
                jar.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
    }

    @Override
    public String toString() {
        return "TrustedOrigins" + origins + ", headers " + headers.keySet();
    }
}
