package tv.latent.backend.replicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
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
 * Client of Replicate's predictions API ({@code https://api.replicate.com/v1}): create a
 * prediction for an official model or a pinned version, with {@code Prefer: wait} so short ones
 * answer at once; poll it; cancel it; download its output files at once (they are deleted after
 * about an hour).
 *
 * <pre>{@code
 * try (ReplicateClient replicate = ReplicateClient.builder(ReplicateClient.API)
 *     .token(System.getenv("REPLICATE_API_TOKEN")).build()) {
 *   Prediction done = replicate.run(ReplicateModel.parse("wan-video/wan-2.2-t2v-fast"),
 *       input, Duration.ofMinutes(10), p -> log.info("{}", p.status()));
 *   replicate.download(URI.create(done.output().asText()), Path.of("clip.mp4"));
 * }
 * }</pre>
 *
 * <p>Every call after the create goes to the configured API host ({@code urls.get} and
 * {@code urls.cancel} are used only when they point there), so the token never follows a URL a
 * server names; output files on Replicate's CDN are fetched without it. A prediction that does
 * not end within its time is cancelled before the call fails. Failures are {@link
 * ReplicateException}s: 429 BUSY with {@code Retry-After} (polls ride it out), 401/403
 * UNAUTHORIZED, a {@code failed} prediction FAILED (or CONTENT_POLICY when the model flagged the
 * input) with its error text trimmed and without the token, {@code canceled} CANCELED. Answers are
 * read within 8 MiB, downloads within {@link Builder#maxDownloadBytes}.
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 */
public final class ReplicateClient implements AutoCloseable {
    /** Replicate's API. */
    public static final URI API = URI.create("https://api.replicate.com/v1");

    private static final Logger log = LoggerFactory.getLogger(ReplicateClient.class);
    private static final int MAX_JSON_BYTES = 8 << 20;
    private static final int TRANSIENT_POLL_FAILURES = 5;
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(60);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]+");
    /** Words with which models and Replicate report a flagged input. */
    private static final Pattern FLAGGED =
            Pattern.compile("(?i)\\b(nsfw|content polic\\w*|safety (checker|filter)|flagged|sensitive)\\b");

    private final URI server;
    private final String base;
    private final TrustedOrigins credentials;
    private final String secret;
    private final Duration callTimeout;
    private final Duration pollInterval;
    private final Duration preferWait;
    private final Duration transferTimeout;
    private final long maxDownloadBytes;
    private final InstantSource clock;
    private final HttpTransport.Failures<ReplicateException> failures;
    private final HttpTransport<ReplicateException> transport;
    private final JsonExchange<ReplicateException> api;
    private final ObjectMapper json = new ObjectMapper();

    private ReplicateClient(Builder b) {
        server = b.baseUri();
        base = ClientOptions.withoutTrailingSlash(server);
        secret = b.secret;
        credentials = new TrustedOrigins(b.headers());
        credentials.trust(server);
        callTimeout = b.callTimeout();
        pollInterval = b.pollInterval();
        preferWait = b.preferWait;
        transferTimeout = b.transferTimeout();
        maxDownloadBytes = b.maxDownloadBytes();
        clock = b.clock();
        failures = (failure, route, message, cause) -> new ReplicateException(
                ReplicateException.Kind.of(failure), server, route, -1, null, brief(message), null, null, cause);
        transport = new HttpTransport<>("replicate-watchdog-" + server.getAuthority(), b.connectTimeout(), failures);
        api = new JsonExchange<>(transport, credentials, callTimeout, MAX_JSON_BYTES);
    }

    public static Builder builder(URI baseUri) {
        return new Builder(baseUri);
    }

    /**
     * Creates a prediction, holding the answer up to {@code wait} ({@code Prefer: wait=N}, at most
     * 60 s; zero for none) so that a quick model answers with its output at once.
     *
     * @throws ReplicateException BUSY (429, with {@code Retry-After}), UNAUTHORIZED, NOT_FOUND (no
     *     such model or version), REJECTED (422: an input the model does not take), SERVER_ERROR, ...
     */
    public Prediction create(ReplicateModel model, JsonNode input, Duration wait) throws ReplicateException {
        Objects.requireNonNull(model, "model");
        String path =
                model.pinned() ? "/predictions" : "/models/" + model.owner() + "/" + model.name() + "/predictions";
        String route = "POST " + path;
        transport.ensureOpen(route);
        ObjectNode body = json.createObjectNode();
        if (model.pinned()) {
            body.put("version", model.version());
        }
        body.set("input", input);
        long waitSeconds = Math.min(LONGEST_WAIT.toSeconds(), Math.max(0, wait.toSeconds()));
        HttpRequest.Builder request = api.postJson(base + path, callTimeout.plusSeconds(waitSeconds), body);
        if (waitSeconds > 0) {
            request.header("Prefer", "wait=" + waitSeconds);
        }
        HttpAnswer answer = api.exchange(request.build(), route);
        if (answer.status() != 201 && answer.status() != 200 && answer.status() != 202) {
            throw statusError(route, answer, null);
        }
        Prediction prediction = prediction(route, answer);
        log.debug(
                "Replicate {}: created prediction {} of {} ({})", server, prediction.id(), model, prediction.status());
        return prediction;
    }

    /** Reads a prediction ({@code GET /predictions/{id}}). */
    public Prediction get(String predictionId) throws ReplicateException {
        requireId(predictionId);
        return get(predictionId, base + "/predictions/" + predictionId);
    }

    /** Reads a prediction at its {@code urls.get} when that is on the API's own host and path, else by id. */
    private Prediction get(Prediction p) throws ReplicateException {
        return get(p.id(), ownUrl(p.getUrl(), base + "/predictions/" + p.id()));
    }

    private Prediction get(String predictionId, String url) throws ReplicateException {
        String route = "GET /predictions/{id}";
        transport.ensureOpen(route);
        HttpAnswer answer = api.exchange(api.request(url, callTimeout).GET().build(), route);
        if (answer.status() != 200) {
            throw statusError(route, answer, predictionId);
        }
        return prediction(route, answer);
    }

    /** Asks Replicate to cancel a prediction ({@code POST /predictions/{id}/cancel}); best effort, never throws. */
    public boolean cancel(String predictionId) {
        if (predictionId == null || !ID.matcher(predictionId).matches()) {
            return false;
        }
        return cancel(predictionId, base + "/predictions/" + predictionId + "/cancel");
    }

    private boolean cancel(Prediction p) {
        return cancel(p.id(), ownUrl(p.cancelUrl(), base + "/predictions/" + p.id() + "/cancel"));
    }

    /**
     * A URL the API named, when it is on the API's own origin and under its path (so the token may
     * go there), else {@code fallback}.
     */
    private String ownUrl(String named, String fallback) {
        if (named == null || named.isEmpty()) {
            return fallback;
        }
        try {
            URI uri = URI.create(named);
            boolean own = TrustedOrigins.origin(uri).equals(TrustedOrigins.origin(server))
                    && uri.getRawPath() != null
                    && uri.getRawPath().startsWith(basePath() + "/")
                    && !uri.getRawPath().contains("..")
                    && uri.getRawQuery() == null;
            return own ? named : fallback;
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }

    /** The API's path, e.g. {@code /v1}, without a trailing slash. */
    private String basePath() {
        String path = server.getRawPath() == null ? "" : server.getRawPath();
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private boolean cancel(String predictionId, String url) {
        if (transport.isClosed()) {
            return false;
        }
        String route = "POST /predictions/{id}/cancel";
        try {
            HttpAnswer answer = api.exchange(
                    api.request(url, callTimeout)
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    route);
            log.info("Replicate {}: cancel of prediction {}: HTTP {}", server, predictionId, answer.status());
            return answer.status() == 200;
        } catch (ReplicateException e) {
            log.warn("Replicate {}: cancelling prediction {} failed: {}", server, predictionId, e.getMessage());
            return false;
        }
    }

    /**
     * Creates a prediction and follows it until it ends, within {@code timeout}: on timeout or
     * interrupt it is cancelled first. A create refused with 429 is not retried here (the caller's
     * pool backs off); polls ride out transient failures, waiting what the server asks.
     *
     * @return the succeeded prediction
     * @throws ReplicateException FAILED or CONTENT_POLICY (its error text), CANCELED, TIMEOUT, or as
     *     {@link #create}
     */
    public Prediction run(ReplicateModel model, JsonNode input, Duration timeout, Consumer<Prediction> listener)
            throws ReplicateException {
        ClientOptions.requirePositive(timeout, "timeout");
        Deadline deadline = Deadline.after(timeout);
        Duration wait = preferWait.compareTo(timeout) < 0 ? preferWait : Duration.ZERO;
        Prediction prediction = create(model, input, wait);
        listener.accept(prediction);
        try {
            int transients = 0;
            while (!prediction.ended()) {
                Polling.pause(pollInterval, deadline);
                if (deadline.expired()) {
                    cancel(prediction);
                    throw new ReplicateException(
                            ReplicateException.Kind.TIMEOUT,
                            server,
                            "GET /predictions/{id}",
                            -1,
                            prediction.id(),
                            "the prediction did not end within " + timeout + "; it was cancelled",
                            null,
                            null,
                            null);
                }
                try {
                    prediction = get(prediction);
                    transients = 0;
                } catch (ReplicateException e) {
                    if (!e.retryable() || ++transients > TRANSIENT_POLL_FAILURES) {
                        throw e;
                    }
                    log.debug(
                            "Replicate {}: polling {} failed, trying again: {}",
                            server,
                            prediction.id(),
                            e.getMessage());
                    Polling.pause(e.retryAfter().orElse(pollInterval), deadline);
                    continue;
                }
                listener.accept(prediction);
            }
        } catch (InterruptedException e) {
            cancel(prediction);
            Thread.currentThread().interrupt();
            throw new ReplicateException(
                    ReplicateException.Kind.CANCELLED,
                    server,
                    "GET /predictions/{id}",
                    -1,
                    prediction.id(),
                    "interrupted; the prediction was cancelled",
                    null,
                    null,
                    e);
        }
        return ended(prediction);
    }

    /** The prediction if it succeeded, else its failure. */
    private Prediction ended(Prediction p) throws ReplicateException {
        String route = "GET /predictions/{id}";
        return switch (p.status()) {
            case "succeeded" -> p;
            case "failed" -> {
                String error = p.error().isEmpty() ? "the model failed without an error text" : p.error();
                boolean flagged = FLAGGED.matcher(error).find();
                throw new ReplicateException(
                        flagged ? ReplicateException.Kind.CONTENT_POLICY : ReplicateException.Kind.FAILED,
                        server,
                        route,
                        -1,
                        p.id(),
                        (flagged ? "content policy: " : "failed: ") + error,
                        null,
                        null,
                        null);
            }
            default ->
                throw new ReplicateException(
                        ReplicateException.Kind.CANCELED,
                        server,
                        route,
                        -1,
                        p.id(),
                        "the prediction was " + p.status() + (p.error().isEmpty() ? "" : ": " + p.error()),
                        null,
                        null,
                        null);
        };
    }

    /**
     * Downloads an output file into {@code target} at once (Replicate deletes outputs after about
     * an hour). The token goes only to the API host.
     *
     * @return the file's byte count
     */
    public long download(URI url, Path target) throws ReplicateException {
        String route = "GET file on " + (url.getHost() == null ? "?" : url.getHost());
        transport.ensureOpen(route);
        return FileDownload.toFile(
                transport, failures, credentials, url, target, maxDownloadBytes, transferTimeout, route);
    }

    private Prediction prediction(String route, HttpAnswer answer) throws ReplicateException {
        JsonNode root = jsonOf(route, answer, null);
        String id = root.path("id").asText("");
        if (!ID.matcher(id).matches()) {
            throw malformed(route, "the prediction has no usable id", null);
        }
        String status = root.path("status").asText("").toLowerCase(Locale.ROOT);
        if (status.isEmpty()) {
            throw malformed(route, "the prediction has no status", id);
        }
        JsonNode error = root.path("error");
        String errorText = error.isMissingNode() || error.isNull()
                ? ""
                : brief(error.isTextual() ? error.asText() : error.toString());
        JsonNode predict = root.path("metrics").path("predict_time");
        JsonNode output = root.path("output");
        return new Prediction(
                id,
                status,
                output.isMissingNode() ? null : output,
                errorText,
                predict.isNumber() ? predict.asDouble() : Double.NaN,
                root.path("urls").path("get").asText(""),
                root.path("urls").path("cancel").asText(""));
    }

    private ReplicateException statusError(String route, HttpAnswer answer, String predictionId) {
        int status = answer.status();
        String detail = answer.text();
        try {
            JsonNode root = json.readTree(answer.body());
            if (root != null && root.path("detail").isTextual()) {
                detail = root.get("detail").asText();
            }
        } catch (IOException | RuntimeException e) {
            // keep the raw text
        }
        ReplicateException.Kind kind = ReplicateException.Kind.of(HttpFailure.ofStatus(status));
        return new ReplicateException(
                kind,
                server,
                route,
                status,
                predictionId,
                detail.isBlank() ? "unexpected status" : brief(detail),
                null,
                RetryAfter.of(answer.headers(), clock.instant()).orElse(null),
                null);
    }

    private JsonNode jsonOf(String route, HttpAnswer answer, String predictionId) throws ReplicateException {
        return JsonExchange.object(answer)
                .orElseThrow(() ->
                        malformed(route, "the answer is not a JSON object: " + brief(answer.text()), predictionId));
    }

    private ReplicateException malformed(String route, String message, String predictionId) {
        return new ReplicateException(
                ReplicateException.Kind.MALFORMED_RESPONSE,
                server,
                route,
                -1,
                predictionId,
                brief(message),
                null,
                null,
                null);
    }

    private static void requireId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not a prediction id: '" + id + "'");
        }
    }

    /** A text a server sent back, on one line, short, without the token. */
    private String brief(String text) {
        return Polling.brief(text, secret);
    }

    /** Aborts calls in flight; predictions already created are left to Replicate. Idempotent. */
    @Override
    public void close() {
        transport.close();
    }

    /** Configures a {@link ReplicateClient}. Not thread-safe. */
    public static final class Builder extends QueueClientBuilder<Builder> {
        private String secret;
        private Duration preferWait = Duration.ofSeconds(60);

        private Builder(URI baseUri) {
            super(baseUri, Duration.ofSeconds(1));
        }

        /** Authenticates with an API token ({@code Authorization: Bearer r8_...}). */
        public Builder token(String token) {
            secret = Polling.headerSafe(token, "Replicate API token");
            return header("Authorization", "Bearer " + secret);
        }

        /** How long a create may hold its answer ({@code Prefer: wait}, at most 60 s, default 60 s; zero for none). */
        public Builder preferWait(Duration value) {
            if (value == null || value.isNegative()) {
                throw new IllegalArgumentException("prefer wait must be zero or more, was " + value);
            }
            preferWait = value;
            return this;
        }

        public ReplicateClient build() {
            return new ReplicateClient(this);
        }
    }
}
