package tv.latent.backend.moderation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tv.latent.backend.http.ClientBuilder;
import tv.latent.backend.http.ClientOptions;
import tv.latent.backend.http.Deadline;
import tv.latent.backend.http.HttpAnswer;
import tv.latent.backend.http.HttpFailure;
import tv.latent.backend.http.HttpTransport;

/**
 * Client of an OpenAI-compatible moderation endpoint ({@code POST {base}/moderations}).
 *
 * <pre>{@code
 * try (ModerationClient moderation = ModerationClient.builder(URI.create("https://api.openai.com/v1"))
 *     .apiKey(System.getenv("OPENAI_API_KEY")).model("omni-moderation-latest")
 *     .callTimeout(Duration.ofSeconds(10)).build()) {
 *   ModerationResult result = moderation.moderate("a red fox crossing a misty river");
 *   if (result.flagged()) { ... result.categories() ... }
 * }
 * }</pre>
 *
 * <p>Each call has the call timeout from connecting to the last byte; an answer larger than
 * {@link #MAX_ANSWER_BYTES} fails as TOO_LARGE. No call is retried here: the caller decides.
 *
 * <p>Thread-safe. {@link #close()} is idempotent and aborts calls in flight.
 */
public final class ModerationClient implements AutoCloseable {
    /** The longest answer read; a moderation answer for one text is a few kilobytes. */
    public static final int MAX_ANSWER_BYTES = 256 * 1024;
    /** The longest input sent; longer texts are cut (nothing LatentTV checks comes near it). */
    public static final int MAX_INPUT_CHARS = 32_000;

    private static final String ROUTE = "POST /moderations";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI server;
    private final URI endpoint;
    private final Map<String, String> headers;
    private final String model;
    private final Duration callTimeout;
    private final HttpTransport<ModerationException> transport;

    private ModerationClient(Builder b) {
        server = b.baseUri();
        endpoint = URI.create(ClientOptions.withoutTrailingSlash(server) + "/moderations");
        headers = b.headers();
        model = b.model;
        callTimeout = b.callTimeout();
        transport = new HttpTransport<>(
                "moderation-watchdog-" + server.getAuthority(),
                b.connectTimeout(),
                (failure, route, message, cause) -> new ModerationException(
                        ModerationException.Kind.of(failure), server, route, -1, message, cause));
    }

    /** Starts configuring a client of the endpoint under {@code baseUri}, e.g. {@code https://api.openai.com/v1}. */
    public static Builder builder(URI baseUri) {
        return new Builder(baseUri);
    }

    /**
     * Asks whether {@code input} is flagged.
     *
     * @throws ModerationException typed by what went wrong; see {@link ModerationException.Kind}
     */
    public ModerationResult moderate(String input) throws ModerationException {
        Objects.requireNonNull(input, "input");
        transport.ensureOpen(ROUTE);
        String text = input.length() > MAX_INPUT_CHARS ? input.substring(0, MAX_INPUT_CHARS) : input;
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(Map.of("model", model, "input", text));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of two strings is always JSON", e);
        }
        Deadline deadline = Deadline.after(callTimeout);
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(deadline.cap(callTimeout))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        HttpAnswer answer = transport.exchange(request.build(), ROUTE, MAX_ANSWER_BYTES, deadline);
        if (answer.status() != 200) {
            throw new ModerationException(
                    ModerationException.Kind.of(HttpFailure.ofStatus(answer.status())),
                    server,
                    ROUTE,
                    answer.status(),
                    errorMessage(answer),
                    null);
        }
        return parse(answer);
    }

    private ModerationResult parse(HttpAnswer answer) throws ModerationException {
        JsonNode root;
        try {
            root = JSON.readTree(answer.body());
        } catch (java.io.IOException e) {
            throw malformed("the answer is not JSON");
        }
        JsonNode result = root == null ? null : root.path("results").path(0);
        if (result == null || !result.isObject() || !result.path("flagged").isBoolean()) {
            throw malformed("the answer has no results[0].flagged");
        }
        List<String> categories = new ArrayList<>();
        result.path("categories").properties().forEach(e -> {
            if (e.getValue().asBoolean(false)) {
                categories.add(e.getKey());
            }
        });
        Map<String, Double> scores = new LinkedHashMap<>();
        result.path("category_scores").properties().forEach(e -> {
            if (e.getValue().isNumber()) {
                scores.put(e.getKey(), e.getValue().asDouble());
            }
        });
        return new ModerationResult(
                result.path("flagged").booleanValue(),
                categories,
                scores,
                root.path("model").asText(""));
    }

    private ModerationException malformed(String message) {
        return new ModerationException(ModerationException.Kind.MALFORMED_RESPONSE, server, ROUTE, 200, message, null);
    }

    /** The server's {@code error.message} (or the body's start), one line, at most 200 characters. */
    private static String errorMessage(HttpAnswer answer) {
        String text = answer.text();
        try {
            JsonNode node = JSON.readTree(text);
            if (node != null && node.path("error").path("message").isTextual()) {
                text = node.path("error").path("message").asText();
            }
        } catch (java.io.IOException e) {
            // not JSON: the body's start says what it is
        }
        String line = text.lines().findFirst().orElse("").strip();
        return line.isEmpty() ? "no error message" : line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    @Override
    public void close() {
        transport.close();
    }

    /** Configures a {@link ModerationClient}. Not thread-safe. */
    public static final class Builder extends ClientBuilder<Builder> {
        private String model = "omni-moderation-latest";

        private Builder(URI baseUri) {
            super(baseUri);
            callTimeout(Duration.ofSeconds(10));
        }

        /** Sends {@code Authorization: Bearer <key>}; blank sends none (a local server that takes none). */
        public Builder apiKey(String key) {
            return key == null || key.isBlank() ? this : header("Authorization", "Bearer " + key.strip());
        }

        /** The moderation model (default {@code omni-moderation-latest}). */
        public Builder model(String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("the model must not be blank");
            }
            model = value.strip();
            return this;
        }

        public ModerationClient build() {
            return new ModerationClient(this);
        }
    }
}
