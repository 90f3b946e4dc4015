package tv.latent.backend.gradio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the client: one JDK HttpClient, credentials only towards trusted origins (the
 * hub and the app), cookies from a login, redirects followed by hand so that every hop is checked,
 * bodies read with a size limit and a deadline.
 */
final class Http implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Http.class);
    private static final int MAX_REDIRECTS = 5;
    private static final int ERROR_BODY_CHARS = 500;

    /** A fully read answer. */
    record Response(int status, HttpHeaders headers, byte[] body, URI uri) {
        String contentType() {
            return headers.firstValue("content-type").orElse("").toLowerCase(Locale.ROOT);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    final ObjectMapper json = new ObjectMapper();
    private final HttpClient client;
    private final Secret token;
    private final Duration requestTimeout;
    private final long maxJsonBytes;
    private final Set<String> trustedOrigins = ConcurrentHashMap.newKeySet();
    private final Map<String, Map<String, String>> cookiesByOrigin = new ConcurrentHashMap<>();

    Http(Duration connectTimeout, Duration requestTimeout, Secret token, long maxJsonBytes) {
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.token = token;
        this.requestTimeout = requestTimeout;
        this.maxJsonBytes = maxJsonBytes;
    }

    /** Credentials and cookies go to this URI's origin from now on. */
    void trust(URI uri) {
        trustedOrigins.add(origin(uri));
    }

    static String origin(URI uri) {
        String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
        return scheme + "://" + String.valueOf(uri.getHost()).toLowerCase(Locale.ROOT) + ":" + port;
    }

    String scrub(String text) {
        return token == null ? text : token.scrub(text);
    }

    /** Sends a request and reads the whole answer (at most the JSON limit) within the deadline. */
    Response send(
            String method, URI uri, HttpRequest.BodyPublisher body, String contentType, Deadline deadline, String label)
            throws GradioException, InterruptedException {
        URI current = uri;
        for (int hop = 0; ; hop++) {
            HttpRequest.Builder builder = request(current, deadline)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body);
            if (contentType != null) {
                builder.header("Content-Type", contentType);
            }
            Response response = exchange(builder.build(), deadline, label);
            if (!"GET".equals(method) || !isRedirect(response.status())) {
                return response;
            }
            current = nextHop(current, response.headers(), hop, label);
        }
    }

    /** Opens a GET whose body the caller streams; redirects are followed, only to http(s). */
    HttpResponse<InputStream> open(URI uri, Map<String, String> headers, Deadline deadline, String label)
            throws GradioException, InterruptedException {
        URI current = uri;
        for (int hop = 0; ; hop++) {
            HttpRequest.Builder builder = request(current, deadline).GET();
            headers.forEach(builder::header);
            HttpResponse<InputStream> response;
            try {
                response = client.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (HttpTimeoutException e) {
                throw new GradioTimeoutException(label, "no answer within " + deadline.cap(requestTimeout), e);
            } catch (IOException e) {
                throw new GradioTransportException(label, "connection failed: " + scrub(e.toString()), true, e);
            }
            if (!isRedirect(response.statusCode())) {
                return response;
            }
            closeQuietly(response.body());
            current = nextHop(current, response.headers(), hop, label);
        }
    }

    private URI nextHop(URI current, HttpHeaders headers, int hop, String label) throws GradioTransportException {
        String location = headers.firstValue("location").orElse(null);
        if (location == null) {
            throw new GradioTransportException(label, "redirect without a Location header", false, null);
        }
        if (hop >= MAX_REDIRECTS) {
            throw new GradioTransportException(label, "more than " + MAX_REDIRECTS + " redirects", false, null);
        }
        URI next;
        try {
            next = current.resolve(location.trim());
        } catch (IllegalArgumentException e) {
            throw new GradioTransportException(label, "redirect to an invalid URL", false, e);
        }
        requireHttp(next, label);
        log.debug("{}: following redirect to {}", label, next);
        return next;
    }

    static void requireHttp(URI uri, String label) throws GradioTransportException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new GradioTransportException(label, "refused a non-HTTP URL (scheme '" + scheme + "')", false, null);
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private HttpRequest.Builder request(URI uri, Deadline deadline) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(deadline.cap(requestTimeout))
                .header("User-Agent", "latenttv-gradio-client/1");
        String origin = origin(uri);
        if (trustedOrigins.contains(origin)) {
            if (token != null) {
                builder.header("Authorization", "Bearer " + token.reveal());
                builder.header("X-HF-Authorization", "Bearer " + token.reveal());
            }
            Map<String, String> cookies = cookiesByOrigin.get(origin);
            if (cookies != null && !cookies.isEmpty()) {
                StringBuilder header = new StringBuilder();
                cookies.forEach((k, v) -> header.append(header.isEmpty() ? "" : "; ")
                        .append(k)
                        .append('=')
                        .append(v));
                builder.header("Cookie", header.toString());
            }
        }
        return builder;
    }

    /** Keeps the cookies an answer sets (after a login), for later requests to the same origin. */
    void keepCookies(Response response) {
        Map<String, String> jar =
                cookiesByOrigin.computeIfAbsent(origin(response.uri()), k -> new ConcurrentHashMap<>());
        for (String header : response.headers().allValues("set-cookie")) {
            String pair = header.split(";", 2)[0];
            int eq = pair.indexOf('=');
            if (eq > 0) {
                jar.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
    }

    private Response exchange(HttpRequest request, Deadline deadline, String label)
            throws GradioException, InterruptedException {
        CompletableFuture<HttpResponse<byte[]>> future =
                client.sendAsync(request, info -> new LimitedBody(maxJsonBytes));
        try {
            HttpResponse<byte[]> r = future.get(Math.max(deadline.remainingNanos(), 1), TimeUnit.NANOSECONDS);
            return new Response(r.statusCode(), r.headers(), r.body(), r.uri());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new GradioTimeoutException(label, "no complete answer within the call's time limit", e);
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                throw new GradioTimeoutException(label, "no answer within " + requestTimeout, cause);
            }
            if (cause instanceof TooLarge) {
                throw new GradioTransportException(
                        label, "answer larger than " + maxJsonBytes + " bytes", false, cause);
            }
            throw new GradioTransportException(
                    label, "connection failed: " + scrub(String.valueOf(cause)), true, cause);
        }
    }

    /** Parses a 2xx JSON answer; maps anything else to the matching exception. */
    JsonNode json(Response response, String label) throws GradioException {
        if (response.status() / 100 != 2) {
            throw failure(response, label);
        }
        if (!response.contentType().contains("json")) {
            throw new GradioTransportException(
                    label,
                    "expected JSON, got content type '" + response.contentType() + "': " + brief(response.text()),
                    false,
                    null);
        }
        try {
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new GradioTransportException(label, "malformed JSON: " + brief(response.text()), false, e);
        }
    }

    /** The exception for a non-2xx answer. */
    GradioException failure(Response response, String label) {
        int status = response.status();
        String detail = detail(response);
        return switch (status) {
            case 401, 403 -> new GradioAuthException(label, "refused (HTTP " + status + "): " + detail);
            case 503 -> new GradioQueueFullException(label, "HTTP 503: " + detail);
            case 400, 422 -> new GradioValidationException(label, status, detail);
            default -> new GradioHttpException(label, status, detail);
        };
    }

    /** The {@code detail} or {@code error} of a JSON error body, else the body's start. */
    String detail(Response response) {
        String text = response.text();
        if (response.contentType().contains("json")) {
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
        client.sendAsync(request, HttpResponse.BodyHandlers.discarding());
    }

    static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            log.trace("closing a response body failed", e);
        }
    }

    @Override
    public void close() {
        client.shutdownNow();
    }

    private static final class TooLarge extends IOException {
        TooLarge(long limit) {
            super("more than " + limit + " bytes");
        }
    }

    /** Collects a body in memory and aborts past {@code limit} bytes. */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final long limit;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        LimitedBody(long limit) {
            this.limit = limit;
        }

        @Override
        public CompletableFuture<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer buffer : buffers) {
                if (bytes.size() + (long) buffer.remaining() > limit) {
                    subscription.cancel();
                    result.completeExceptionally(new TooLarge(limit));
                    return;
                }
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                bytes.writeBytes(chunk);
            }
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toByteArray());
        }
    }
}
