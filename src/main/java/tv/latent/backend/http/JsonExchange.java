package tv.latent.backend.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Optional;

/**
 * JSON calls to one API with credentials only towards its trusted origins: what the hosted-queue
 * clients (fal, Replicate) share. Answers are read whole within {@code maxBytes}.
 *
 * <pre>{@code
 * var api = new JsonExchange<>(transport, credentials, Duration.ofSeconds(30), 8 << 20);
 * HttpAnswer answer = api.exchange(api.request(base + "/predictions", timeout).GET().build(), route);
 * JsonNode body = JsonExchange.object(answer).orElseThrow(() -> ...);
 * }</pre>
 *
 * <p>Thread-safe.
 *
 * @param <E> the client's exception type
 */
public final class JsonExchange<E extends Exception> {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpTransport<E> transport;
    private final TrustedOrigins credentials;
    private final Duration callTimeout;
    private final int maxBytes;

    public JsonExchange(HttpTransport<E> transport, TrustedOrigins credentials, Duration callTimeout, int maxBytes) {
        this.transport = transport;
        this.credentials = credentials;
        this.callTimeout = callTimeout;
        this.maxBytes = maxBytes;
    }

    /** A request to {@code uri}, with the credentials when its origin is trusted. */
    public HttpRequest.Builder request(String uri, Duration timeout) {
        URI target = URI.create(uri);
        return credentials.apply(HttpRequest.newBuilder(target), target).timeout(timeout);
    }

    /** A POST of {@code body} as JSON. */
    public HttpRequest.Builder postJson(String uri, Duration timeout, JsonNode body) {
        return request(uri, timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(body)));
    }

    /** Sends {@code request} and reads its whole answer within the request's own timeout. */
    public HttpAnswer exchange(HttpRequest request, String route) throws E {
        return transport.exchange(
                request, route, maxBytes, Deadline.after(request.timeout().orElse(callTimeout)));
    }

    /** The answer's body as a JSON object, or empty when it is not one. */
    public static Optional<JsonNode> object(HttpAnswer answer) {
        try {
            JsonNode node = JSON.readTree(answer.body());
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static byte[] bytes(JsonNode body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serialise the request body", e);
        }
    }
}
