package tv.latent.backend.fal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tv.latent.backend.http.ClientOptions;
import tv.latent.backend.http.Deadline;
import tv.latent.backend.http.FileDownload;
import tv.latent.backend.http.HttpAnswer;
import tv.latent.backend.http.HttpFailure;
import tv.latent.backend.http.HttpTransport;
import tv.latent.backend.http.JsonExchange;
import tv.latent.backend.http.Polling;
import tv.latent.backend.http.QueueClientBuilder;
import tv.latent.backend.http.RetryAfter;
import tv.latent.backend.http.TrustedOrigins;

/**
 * Client of fal's queue ({@code https://queue.fal.run}) and of the same queue behind the Hugging
 * Face Inference Providers router ({@code https://router.huggingface.co/fal-ai}, {@code
 * ?_subdomain=queue}): submit an app's input, poll its status (queue position, logs), fetch the
 * result, cancel, and download the files the result names.
 *
 * <pre>{@code
 * try (FalClient fal = FalClient.builder(FalClient.QUEUE).key(System.getenv("FAL_KEY")).build()) {
 *   ObjectNode input = JsonNodeFactory.instance.objectNode().put("prompt", "a heron in the reeds");
 *   FalResult done = fal.run("fal-ai/ltx-video", input, Duration.ofMinutes(10),
 *       status -> log.info("{} {}", status.state(), status.queuePosition()));
 *   fal.download(URI.create(done.output().at("/video/url").asText()), Path.of("heron.mp4"));
 * }
 * }</pre>
 *
 * <p>Status and result calls go to the client's own base, built from the path of the {@code
 * response_url} fal answers (as Hugging Face's own client does), so the key is only ever sent to
 * the configured host; result files on fal's CDN are fetched without it. A request that does not
 * complete within its time is cancelled ({@code PUT .../cancel}) before the call fails. Failures
 * are {@link FalException}s: a 422 {@code content_policy_violation} is {@link
 * FalException.Kind#CONTENT_POLICY} (never retried), 401/403 UNAUTHORIZED, 429 BUSY with the
 * server's {@code Retry-After}; status polls ride out a few transient failures on their own.
 * Answers are read within 8 MiB, downloads within {@link Builder#maxDownloadBytes}. No message
 * carries the key.
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 */
public final class FalClient implements AutoCloseable {
    /** fal's queue host. */
    public static final URI QUEUE = URI.create("https://queue.fal.run");
    /** The Hugging Face router's fal route; calls add {@code ?_subdomain=queue}. */
    public static final URI HUGGING_FACE_ROUTER = URI.create("https://router.huggingface.co/fal-ai");

    private static final Logger log = LoggerFactory.getLogger(FalClient.class);
    private static final int MAX_JSON_BYTES = 8 << 20;
    private static final int TRANSIENT_POLL_FAILURES = 5;
    private static final Pattern APP = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)+");
    private static final Pattern REQUEST_PATH = Pattern.compile("(/[A-Za-z0-9._-]+)+/requests/[A-Za-z0-9._-]+");

    private final URI server;
    private final String base;
    private final String query;
    private final TrustedOrigins credentials;
    private final String secret;
    private final Duration callTimeout;
    private final Duration pollInterval;
    private final Duration transferTimeout;
    private final long maxDownloadBytes;
    private final InstantSource clock;
    private final HttpTransport.Failures<FalException> failures;
    private final HttpTransport<FalException> transport;
    private final JsonExchange<FalException> api;
    private final ObjectMapper json = new ObjectMapper();

    private FalClient(Builder b) {
        server = b.baseUri();
        base = ClientOptions.withoutTrailingSlash(server);
        query = b.query;
        secret = b.secret;
        Map<String, String> headers = b.headers();
        credentials = new TrustedOrigins(headers);
        credentials.trust(server);
        callTimeout = b.callTimeout();
        pollInterval = b.pollInterval();
        transferTimeout = b.transferTimeout();
        maxDownloadBytes = b.maxDownloadBytes();
        clock = b.clock();
        failures = (failure, route, message, cause) -> new FalException(
                FalException.Kind.of(failure), server, route, -1, null, brief(message), null, null, cause);
        transport = new HttpTransport<>("fal-watchdog-" + server.getAuthority(), b.connectTimeout(), failures);
        api = new JsonExchange<>(transport, credentials, callTimeout, MAX_JSON_BYTES);
    }

    /** Starts configuring a client of the fal queue at {@code baseUri} ({@link #QUEUE}, a gateway, a test fake). */
    public static Builder builder(URI baseUri) {
        return new Builder(baseUri);
    }

    /**
     * Queues {@code input} for {@code app} ({@code owner/app[/subpath]}).
     *
     * @throws FalException CONTENT_POLICY, REJECTED (422 naming fields, 400), UNAUTHORIZED, BUSY
     *     (with {@code Retry-After}), SERVER_ERROR, or a transport failure
     */
    public FalRequest submit(String app, JsonNode input) throws FalException {
        if (app == null || !APP.matcher(app).matches() || app.contains("..")) {
            throw new IllegalArgumentException("fal app id must look like owner/app[/path], got '" + app + "'");
        }
        String route = "POST /" + app;
        transport.ensureOpen(route);
        HttpAnswer answer = api.exchange(
                api.postJson(base + "/" + app + query, callTimeout, input).build(), route);
        if (answer.status() < 200 || answer.status() > 202) {
            throw statusError(route, answer, null);
        }
        JsonNode root = jsonOf(route, answer, null);
        String id = root.path("request_id").asText("");
        if (id.isEmpty() || !id.matches("[A-Za-z0-9._-]+")) {
            throw malformed(route, "the answer has no usable request_id", null);
        }
        String path = requestPath(app, id, root.path("response_url").asText(""), route);
        int position = root.path("queue_position").isNumber()
                ? root.get("queue_position").asInt()
                : -1;
        log.debug("fal {}: queued {} as {} (position {})", server, app, id, position);
        return new FalRequest(id, path, position);
    }

    /** Where fal keeps the request: the response_url's path, else {@code /owner/app/requests/id}. */
    private String requestPath(String app, String id, String responseUrl, String route) throws FalException {
        if (!responseUrl.isEmpty()) {
            String path;
            try {
                path = URI.create(responseUrl).getRawPath();
            } catch (IllegalArgumentException e) {
                throw malformed(route, "response_url is not a URL", id);
            }
            if (path == null || !REQUEST_PATH.matcher(path).matches() || path.contains("..")) {
                throw malformed(route, "response_url has an unexpected path", id);
            }
            return path;
        }
        String[] parts = app.split("/");
        return "/" + parts[0] + "/" + parts[1] + "/requests/" + id;
    }

    /** Reads where a request is ({@code GET .../status?logs=1}). */
    public FalStatus status(FalRequest request) throws FalException {
        String route = "GET " + request.path() + "/status";
        transport.ensureOpen(route);
        String logs = query.isEmpty() ? "?logs=1" : query + "&logs=1";
        HttpAnswer answer = api.exchange(
                api.request(base + request.path() + "/status" + logs, callTimeout)
                        .GET()
                        .build(),
                route);
        if (answer.status() != 200 && answer.status() != 202) {
            throw statusError(route, answer, request.requestId());
        }
        JsonNode root = jsonOf(route, answer, request.requestId());
        String state = root.path("status").asText("").toUpperCase(Locale.ROOT);
        if (state.isEmpty()) {
            throw malformed(route, "the status answer has no status", request.requestId());
        }
        String lastLog = "";
        JsonNode logLines = root.path("logs");
        if (logLines.isArray() && !logLines.isEmpty()) {
            lastLog = brief(logLines.get(logLines.size() - 1).path("message").asText(""));
        }
        JsonNode inference = root.path("metrics").path("inference_time");
        return new FalStatus(
                state,
                root.path("queue_position").isNumber()
                        ? root.get("queue_position").asInt()
                        : -1,
                lastLog,
                inference.isNumber() ? inference.asDouble() : Double.NaN);
    }

    /** Fetches a completed request's output ({@code GET .../requests/{id}}). */
    public FalResult result(FalRequest request, double inferenceSeconds) throws FalException {
        String route = "GET " + request.path();
        transport.ensureOpen(route);
        HttpAnswer answer = api.exchange(
                api.request(base + request.path() + query, callTimeout).GET().build(), route);
        if (answer.status() != 200) {
            throw statusError(route, answer, request.requestId());
        }
        return new FalResult(request.requestId(), jsonOf(route, answer, request.requestId()), inferenceSeconds);
    }

    /**
     * Asks fal to cancel a request ({@code PUT .../cancel}); best effort, never throws.
     *
     * @return whether fal accepted (202); false when it had completed, was unknown, or the call failed
     */
    public boolean cancel(FalRequest request) {
        String route = "PUT " + request.path() + "/cancel";
        if (transport.isClosed()) {
            return false;
        }
        try {
            HttpAnswer answer = api.exchange(
                    api.request(base + request.path() + "/cancel" + query, callTimeout)
                            .PUT(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    route);
            boolean accepted = answer.status() == 202 || answer.status() == 200;
            log.info(
                    "fal {}: cancel of request {}: {}",
                    server,
                    request.requestId(),
                    accepted ? "requested" : "HTTP " + answer.status() + " " + brief(answer.text()));
            return accepted;
        } catch (FalException e) {
            log.warn("fal {}: cancelling request {} failed: {}", server, request.requestId(), e.getMessage());
            return false;
        }
    }

    /**
     * Submits, polls until COMPLETED and fetches the result, within {@code timeout}; on timeout or
     * interrupt the request is cancelled first. Transient failures of a poll (5xx, 429, a dropped
     * connection) are ridden out, waiting what the server asks, up to five in a row.
     */
    public FalResult run(String app, JsonNode input, Duration timeout, FalListener listener) throws FalException {
        ClientOptions.requirePositive(timeout, "timeout");
        Objects.requireNonNull(listener, "listener");
        Deadline deadline = Deadline.after(timeout);
        FalRequest request = submit(app, input);
        listener.status(new FalStatus("IN_QUEUE", request.queuePosition(), "", Double.NaN));
        try {
            int transients = 0;
            while (true) {
                Polling.pause(pollInterval, deadline);
                if (deadline.expired()) {
                    throw timedOut(request, timeout);
                }
                FalStatus status;
                try {
                    status = status(request);
                    transients = 0;
                } catch (FalException e) {
                    if (!e.retryable() || ++transients > TRANSIENT_POLL_FAILURES) {
                        throw e;
                    }
                    log.debug(
                            "fal {}: polling {} failed, trying again: {}", server, request.requestId(), e.getMessage());
                    Polling.pause(e.retryAfter().orElse(pollInterval), deadline);
                    continue;
                }
                listener.status(status);
                if (status.completed()) {
                    return resultWithin(request, status.inferenceSeconds(), deadline, timeout);
                }
            }
        } catch (InterruptedException e) {
            cancel(request);
            Thread.currentThread().interrupt();
            throw new FalException(
                    FalException.Kind.CANCELLED,
                    server,
                    "POST /" + app,
                    -1,
                    request.requestId(),
                    "interrupted; the request was cancelled",
                    null,
                    null,
                    e);
        }
    }

    private FalResult resultWithin(FalRequest request, double inference, Deadline deadline, Duration timeout)
            throws FalException, InterruptedException {
        for (int tries = 1; ; tries++) {
            try {
                return result(request, inference);
            } catch (FalException e) {
                if (!e.retryable() || tries > 2 || deadline.expired()) {
                    throw e;
                }
                Polling.pause(e.retryAfter().orElse(pollInterval), deadline);
                if (deadline.expired()) {
                    throw timedOut(request, timeout);
                }
            }
        }
    }

    /**
     * Downloads a file a result names into {@code target} (through a temporary file and an atomic
     * move). The key goes only to the client's own host: fal's CDN gets none.
     *
     * @return the file's byte count
     * @throws FalException NOT_FOUND when the link is gone, TOO_LARGE past the limit, or as the transfer fails
     */
    public long download(URI url, Path target) throws FalException {
        String route = "GET file on " + (url.getHost() == null ? "?" : url.getHost());
        transport.ensureOpen(route);
        return FileDownload.toFile(
                transport, failures, credentials, url, target, maxDownloadBytes, transferTimeout, route);
    }

    private FalException timedOut(FalRequest request, Duration timeout) {
        cancel(request);
        return new FalException(
                FalException.Kind.TIMEOUT,
                server,
                "GET " + request.path() + "/status",
                -1,
                request.requestId(),
                "the request did not complete within " + timeout + "; it was cancelled",
                null,
                null,
                null);
    }

    private FalException statusError(String route, HttpAnswer answer, String requestId) {
        int status = answer.status();
        String body = brief(answer.text());
        FalException.Kind kind = FalException.Kind.of(HttpFailure.ofStatus(status));
        String message = body.isEmpty() ? "unexpected status" : body;
        if (status == 422) {
            Optional<String> refusal = contentPolicy(answer);
            if (refusal.isPresent()) {
                kind = FalException.Kind.CONTENT_POLICY;
                message = refusal.get();
            }
        }
        Boolean retryable = answer.headers()
                .firstValue("x-fal-retryable")
                .or(() -> answer.headers().firstValue("x-fal-needs-retry"))
                .map(v -> v.strip().equalsIgnoreCase("true") || v.strip().equals("1"))
                .orElse(null);
        if (kind == FalException.Kind.CONTENT_POLICY || kind == FalException.Kind.UNAUTHORIZED) {
            retryable = false; // whatever a header hints, the same prompt or key will not pass
        }
        Duration retryAfter = RetryAfter.of(answer.headers(), clock.instant()).orElse(null);
        return new FalException(kind, server, route, status, requestId, brief(message), retryable, retryAfter, null);
    }

    /** The refusal's message when a 422's detail says {@code content_policy_violation}. */
    private Optional<String> contentPolicy(HttpAnswer answer) {
        try {
            JsonNode detail = json.readTree(answer.body()).path("detail");
            for (JsonNode item :
                    detail.isArray() ? detail : json.createArrayNode().add(detail)) {
                if (item.path("type").asText("").equals("content_policy_violation")) {
                    return Optional.of(
                            "content policy: " + brief(item.path("msg").asText("the content was refused")));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: a plain validation error
        }
        return Optional.empty();
    }

    private JsonNode jsonOf(String route, HttpAnswer answer, String requestId) throws FalException {
        return JsonExchange.object(answer)
                .orElseThrow(
                        () -> malformed(route, "the answer is not a JSON object: " + brief(answer.text()), requestId));
    }

    private FalException malformed(String route, String message, String requestId) {
        return new FalException(
                FalException.Kind.MALFORMED_RESPONSE, server, route, -1, requestId, brief(message), null, null, null);
    }

    /** A text a server sent back, short and without the key (some servers echo request headers). */
    private String brief(String text) {
        return Polling.brief(text, secret);
    }

    /** Aborts calls in flight; queued requests are left to fal. Idempotent. */
    @Override
    public void close() {
        transport.close();
    }

    /**
     * Configures a {@link FalClient}: a fal key ({@link #key}) or a Hugging Face token through the
     * router ({@link #huggingFaceToken}). Not thread-safe.
     */
    public static final class Builder extends QueueClientBuilder<Builder> {
        private String query = "";
        private String secret;

        private Builder(URI baseUri) {
            super(baseUri, Duration.ofMillis(500)); // as Hugging Face's own client polls
        }

        /** Authenticates with a fal key ({@code Authorization: Key ...}). */
        public Builder key(String falKey) {
            secret = Polling.headerSafe(falKey, "fal key");
            return header("Authorization", "Key " + secret);
        }

        /**
         * Authenticates with a Hugging Face token ({@code Authorization: Bearer hf_...}) and speaks
         * the router's form of the queue ({@code ?_subdomain=queue} on every call).
         */
        public Builder huggingFaceToken(String token) {
            secret = Polling.headerSafe(token, "Hugging Face token");
            query = "?_subdomain=queue";
            return header("Authorization", "Bearer " + secret);
        }

        public FalClient build() {
            return new FalClient(this);
        }
    }
}
