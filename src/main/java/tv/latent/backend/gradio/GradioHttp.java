package tv.latent.backend.gradio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tv.latent.backend.http.Deadline;
import tv.latent.backend.http.DownloadPolicy;
import tv.latent.backend.http.EventStream;
import tv.latent.backend.http.HttpAnswer;
import tv.latent.backend.http.HttpFailure;
import tv.latent.backend.http.HttpTransport;
import tv.latent.backend.http.RetryAfter;
import tv.latent.backend.http.TrustedOrigins;

/**
 * The Gradio protocol's view of the shared {@link HttpTransport}: requests that carry the token
 * and the login's cookies to the hub and the app only, GETs that follow redirects, JSON answers
 * within a size limit, and the {@link GradioException} for every failure (with the token scrubbed
 * from its message).
 *
 * <p>Thread-safe. {@link #close} is idempotent.
 */
final class GradioHttp implements AutoCloseable {
    private static final int ERROR_BODY_CHARS = 500;
    private static final int ERROR_BODY_BYTES = 4096;

    final ObjectMapper json = new ObjectMapper();
    private final HttpTransport<GradioException> transport;
    private final TrustedOrigins credentials;
    private final Secret token;
    private final Duration requestTimeout;
    private final int maxJsonBytes;

    GradioHttp(Duration connectTimeout, Duration requestTimeout, Secret token, int maxJsonBytes) {
        this.token = token;
        this.requestTimeout = requestTimeout;
        this.maxJsonBytes = maxJsonBytes;
        Map<String, String> headers = new LinkedHashMap<>();
        if (token != null) {
            headers.put("Authorization", "Bearer " + token.reveal());
            // the Space proxy strips Authorization on some routes; it passes this copy on
            headers.put("X-HF-Authorization", "Bearer " + token.reveal());
        }
        this.credentials = new TrustedOrigins(headers);
        this.transport = new HttpTransport<>(
                "gradio-watchdog",
                connectTimeout,
                (failure, route, message, cause) -> failure(token, failure, route, message, cause));
    }

    /** The Gradio exception for a failure the transport met. */
    private static GradioException failure(
            Secret token, HttpFailure failure, String route, String message, Throwable cause) {
        String detail = token == null ? message : token.scrub(message);
        return switch (failure) {
            case TIMEOUT -> new GradioTimeoutException(route, detail, cause);
            case LOCAL_IO -> new GradioFileException(route, detail, cause);
            case CANCELLED ->
                cause instanceof InterruptedException
                        ? new GradioCancelledException(route, cause)
                        : new GradioTransportException(route, detail, true, cause);
            case CONNECT_FAILED, DISCONNECTED, SERVER_ERROR, BUSY ->
                new GradioTransportException(route, detail, true, cause);
            case UNAUTHORIZED, NOT_FOUND, REJECTED, MALFORMED_RESPONSE, TOO_LARGE ->
                new GradioTransportException(route, detail, false, cause);
            case REFUSED -> new GradioFileException(route, detail, cause);
        };
    }

    HttpTransport<GradioException> transport() {
        return transport;
    }

    /** Credentials and cookies go to this URI's origin from now on. */
    void trust(URI uri) {
        credentials.trust(uri);
    }

    String scrub(String text) {
        return token == null ? text : token.scrub(text);
    }

    /**
     * Sends a request and reads the whole answer (at most the JSON limit) within the deadline; a
     * GET follows redirects.
     */
    HttpAnswer send(
            String method, URI uri, HttpRequest.BodyPublisher body, String contentType, Deadline deadline, String label)
            throws GradioException {
        HttpResponse<InputStream> response;
        if ("GET".equals(method)) {
            response = transport.follow(uri, hop -> request(hop, deadline).GET().build(), label);
        } else {
            HttpRequest.Builder builder =
                    request(uri, deadline).method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body);
            if (contentType != null) {
                builder.header("Content-Type", contentType);
            }
            response = transport.send(builder.build(), label);
        }
        return transport.read(response, label, maxJsonBytes, deadline);
    }

    /** Opens a GET whose body the caller streams; redirects are followed, only to http(s). */
    HttpResponse<InputStream> open(URI uri, Map<String, String> headers, Deadline deadline, String label)
            throws GradioException {
        return open(uri, headers, deadline, label, null);
    }

    /**
     * Opens a GET whose body the caller streams; redirects are followed, only to http(s), and
     * every hop must pass {@code policy} (null: any http(s) URL).
     */
    HttpResponse<InputStream> open(
            URI uri, Map<String, String> headers, Deadline deadline, String label, DownloadPolicy policy)
            throws GradioException {
        return transport.follow(
                uri,
                hop -> {
                    HttpRequest.Builder builder = request(hop, deadline);
                    headers.forEach(builder::header);
                    return builder.GET().build();
                },
                label,
                policy);
    }

    /** Reads an event stream's body (decoded, at most {@code maxEventBytes} per event); close the stream when done. */
    EventStream<GradioException> events(HttpResponse<InputStream> response, String label, int maxEventBytes)
            throws GradioException {
        return transport.events(response, label, maxEventBytes);
    }

    void requireHttp(URI uri, String label) throws GradioException {
        transport.requireHttp(uri, label);
    }

    private HttpRequest.Builder request(URI uri, Deadline deadline) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(deadline.cap(requestTimeout))
                .header("User-Agent", "latenttv-gradio-client/1");
        return credentials.apply(builder, uri);
    }

    /** Keeps the cookies an answer sets (after a login), for later requests to the same origin. */
    void keepCookies(HttpAnswer answer) {
        credentials.keepCookies(answer.uri(), answer.headers());
    }

    /** Parses a 2xx JSON answer; maps anything else to the matching exception. */
    JsonNode json(HttpAnswer answer, String label) throws GradioException {
        if (answer.status() / 100 != 2) {
            throw failure(answer, label);
        }
        if (!answer.contentType().contains("json")) {
            throw new GradioTransportException(
                    label,
                    "expected JSON, got content type '" + answer.contentType() + "': " + brief(answer.text()),
                    false,
                    null);
        }
        try {
            return json.readTree(answer.body());
        } catch (IOException e) {
            throw new GradioTransportException(label, "malformed JSON: " + brief(answer.text()), false, e);
        }
    }

    /** The exception for a non-2xx answer whose body the caller streams. */
    GradioException failure(HttpResponse<InputStream> response, String label) {
        return failure(HttpTransport.head(response, ERROR_BODY_BYTES), label);
    }

    /** The exception for a non-2xx answer. */
    GradioException failure(HttpAnswer answer, String label) {
        int status = answer.status();
        String detail = detail(answer);
        Duration retryAfter =
                RetryAfter.of(status, answer.headers(), InstantSource.system()).orElse(null);
        return switch (status) {
            case 401, 403 -> new GradioAuthException(label, "refused (HTTP " + status + "): " + detail);
            case 503 -> new GradioQueueFullException(label, "HTTP 503: " + detail, retryAfter);
            case 400, 422 -> new GradioValidationException(label, status, detail);
            default -> new GradioHttpException(label, status, detail, retryAfter);
        };
    }

    /** The {@code detail} or {@code error} of a JSON error body, else the body's start. */
    String detail(HttpAnswer answer) {
        String text = answer.text();
        if (answer.contentType().contains("json")) {
            try {
                JsonNode node = json.readTree(text);
                for (String field : List.of("detail", "error", "message")) {
                    JsonNode value = node.get(field);
                    if (value != null && !value.isNull()) {
                        return brief(value.isTextual() ? value.asText() : value.toString());
                    }
                }
            } catch (JsonProcessingException e) {
                // fall through: show the raw text
            }
        }
        return text.isBlank() ? "(empty body)" : brief(text);
    }

    String brief(String text) {
        String clean = scrub(text).replaceAll("\\s+", " ").strip();
        return clean.length() > ERROR_BODY_CHARS ? clean.substring(0, ERROR_BODY_CHARS) + "..." : clean;
    }

    HttpRequest.BodyPublisher jsonBody(Object value) {
        try {
            return HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("input cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Sends a GET without waiting for or reading the answer (to wake a sleeping Space). */
    void fireAndForget(URI uri) {
        HttpRequest request =
                request(uri, Deadline.after(Duration.ofSeconds(10))).GET().build();
        transport.client().sendAsync(request, HttpResponse.BodyHandlers.discarding());
    }

    /** Aborts calls in flight and frees the connections. Idempotent. */
    @Override
    public void close() {
        transport.close();
    }
}
