package tv.latent.backend.http;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What every protocol client's builder takes: the server's base URI, headers sent on every
 * request (credentials), and the timeouts to connect and for short calls. Each client's
 * {@code Builder} extends it and adds its own settings.
 *
 * <pre>{@code
 * A1111Client a1111 = A1111Client.builder(URI.create("http://gpu-box:7860"))
 *     .basicAuth("user", "pass").callTimeout(Duration.ofSeconds(20)).build();
 * }</pre>
 *
 * <p>Not thread-safe: configure on one thread.
 *
 * @param <B> the client's builder, which every setter returns
 */
public abstract class ClientBuilder<B extends ClientBuilder<B>> {
    private final URI baseUri;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration callTimeout = Duration.ofSeconds(30);

    /** @param baseUri {@code http(s)://host[:port][/path]} without query or fragment */
    protected ClientBuilder(URI baseUri) {
        this.baseUri = ClientOptions.requireBaseUri(baseUri);
    }

    /** Sends HTTP basic credentials (A1111's {@code --api-auth user:pass}, a proxy's login). */
    public B basicAuth(String user, String password) {
        return header("Authorization", ClientOptions.basicAuthorization(user, password));
    }

    /** Sends this header on every request, such as a bearer token. */
    public B header(String name, String value) {
        headers.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
        return self();
    }

    /** Time allowed to open a connection (default 10 s). */
    public B connectTimeout(Duration value) {
        ClientOptions.requirePositive(value, "connect timeout");
        connectTimeout = value;
        return self();
    }

    /** Time allowed for short calls, such as a version check or a queue request (default 30 s). */
    public B callTimeout(Duration value) {
        ClientOptions.requirePositive(value, "call timeout");
        callTimeout = value;
        return self();
    }

    // What was set, for the client being built.

    public URI baseUri() {
        return baseUri;
    }

    /** The headers, in the order they were set. */
    public Map<String, String> headers() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration callTimeout() {
        return callTimeout;
    }

    @SuppressWarnings("unchecked") // B is the subclass by the class's contract
    private B self() {
        return (B) this;
    }
}
