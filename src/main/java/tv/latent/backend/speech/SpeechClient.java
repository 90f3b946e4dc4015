package tv.latent.backend.speech;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tv.latent.backend.http.ClientBuilder;
import tv.latent.backend.http.ClientOptions;
import tv.latent.backend.http.Deadline;
import tv.latent.backend.http.HttpAnswer;
import tv.latent.backend.http.HttpFailure;
import tv.latent.backend.http.HttpTransport;
import tv.latent.backend.http.HttpTransport.Guard;
import tv.latent.backend.http.LocalFiles;
import tv.latent.backend.http.RetryAfter;

/**
 * Client of a text-to-speech server, in one of two protocols:
 *
 * <ul>
 *   <li>{@link Protocol#OPENAI}: {@code POST {base}/audio/speech} with {@code {"model", "input",
 *       "voice", "response_format", "speed", "instructions"}} (OpenAI at {@code
 *       https://api.openai.com/v1}, Kokoro-FastAPI at {@code http://host:8880/v1}, others); a key
 *       goes as {@code Authorization: Bearer}.
 *   <li>{@link Protocol#PIPER}: Piper's own server ({@code python3 -m piper.http_server}): {@code
 *       POST {base}/} with {@code {"text", "speaker", "length_scale"}}, WAV back.
 * </ul>
 *
 * <pre>{@code
 * try (SpeechClient kokoro = SpeechClient.builder(URI.create("http://gpu:8880/v1"), SpeechClient.Protocol.OPENAI)
 *     .build()) {
 *   kokoro.synthesize(SpeechRequest.openAi("Meet the red fox.", "kokoro", "af_sky", "wav", null, null),
 *       Path.of("line.wav"), Duration.ofSeconds(60));
 * }
 * }</pre>
 *
 * <p>The answer's audio is copied to a temporary file beside the target within {@link
 * Builder#maxAudioBytes} and the call's deadline, then moved into place: a body that never ends
 * fails with TOO_LARGE or TIMEOUT and leaves nothing. A 200 whose body is JSON, HTML or text is
 * not audio (MALFORMED_RESPONSE, with the start of what it said). The key is never logged and
 * never in a failure's message.
 *
 * <p>Thread-safe. {@link #close()} is idempotent.
 */
public final class SpeechClient implements AutoCloseable {
    /** Which server the client speaks to. */
    public enum Protocol {
        OPENAI,
        PIPER
    }

    /** The audio an answer carried, in the file given to {@link #synthesize}. */
    public record Synthesized(Path file, String contentType, long bytes) {}

    private static final Logger log = LoggerFactory.getLogger(SpeechClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ERROR_BODY = 16 * 1024;

    private final URI server;
    private final String base;
    private final Protocol protocol;
    private final String route;
    private final Map<String, String> headers;
    private final long maxAudioBytes;
    private final HttpTransport<SpeechException> transport;

    private SpeechClient(Builder b) {
        server = b.baseUri();
        base = ClientOptions.withoutTrailingSlash(server);
        protocol = b.protocol;
        route = protocol == Protocol.OPENAI ? "POST /audio/speech" : "POST /";
        headers = b.headers();
        maxAudioBytes = b.maxAudioBytes;
        transport = new HttpTransport<>(
                "speech-watchdog-" + server.getAuthority(),
                b.connectTimeout(),
                (failure, route, message, cause) ->
                        new SpeechException(SpeechException.Kind.of(failure), server, route, message, cause));
    }

    /** Starts configuring a client of the server at {@code baseUri}. */
    public static Builder builder(URI baseUri, Protocol protocol) {
        return new Builder(baseUri, protocol);
    }

    /**
     * Asks the server to speak {@code request} and writes the audio to {@code target} (its
     * directory must exist), within {@code timeout} from connecting to the last byte.
     *
     * @throws SpeechException typed by what went wrong; see {@link SpeechException.Kind}
     */
    public Synthesized synthesize(SpeechRequest request, Path target, Duration timeout) throws SpeechException {
        Objects.requireNonNull(request, "request");
        ClientOptions.requirePositive(timeout, "timeout");
        transport.ensureOpen(route);
        Deadline deadline = Deadline.after(timeout);
        HttpRequest.Builder http = HttpRequest.newBuilder(
                        URI.create(base + (protocol == Protocol.OPENAI ? "/audio/speech" : "/")))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "audio/*, application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body(request), StandardCharsets.UTF_8));
        headers.forEach(http::header);
        HttpResponse<InputStream> response = transport.send(http.build(), route);
        if (response.statusCode() != 200) {
            throw statusError(response, deadline);
        }
        String type = response.headers().firstValue("content-type").orElse("").toLowerCase(Locale.ROOT);
        if (type.startsWith("application/json") || type.startsWith("text/")) {
            HttpAnswer head = HttpTransport.head(response, 512);
            throw new SpeechException(
                    SpeechException.Kind.MALFORMED_RESPONSE,
                    server,
                    route,
                    200,
                    "the answer is " + type + ", not audio: " + oneLine(head.text()),
                    null,
                    null);
        }
        Path temporary;
        try {
            temporary = LocalFiles.temporaryNextTo(target.toAbsolutePath());
        } catch (IOException e) {
            HttpTransport.closeQuietly(response.body());
            throw new SpeechException(SpeechException.Kind.LOCAL_IO, server, route, "cannot write beside " + target, e);
        }
        try (InputStream raw = response.body();
                Guard guard = transport.guard(raw, deadline);
                InputStream body = transport.decoded(response, route)) {
            long bytes = transport.copy(body, temporary, maxAudioBytes, guard, timeout, route);
            LocalFiles.moveReplacing(temporary, target);
            log.debug("{} on {}: {} bytes of {}", route, server, bytes, type.isEmpty() ? "audio" : type);
            return new Synthesized(target, type, bytes);
        } catch (IOException e) {
            if (e instanceof SpeechException typed) {
                throw typed;
            }
            throw new SpeechException(
                    SpeechException.Kind.DISCONNECTED, server, route, "the connection failed: " + e, e);
        } finally {
            LocalFiles.deleteQuietly(temporary);
        }
    }

    private String body(SpeechRequest request) {
        ObjectNode body = JSON.createObjectNode();
        if (protocol == Protocol.OPENAI) {
            body.put("model", request.model()).put("input", request.text()).put("voice", request.voice());
            body.put("response_format", request.format());
            if (request.speed() != null) {
                body.put("speed", request.speed());
            }
            if (request.instructions() != null && !request.instructions().isBlank()) {
                body.put("instructions", request.instructions());
            }
        } else {
            body.put("text", request.text());
            if (request.speaker() != null && !request.speaker().isBlank()) {
                body.put("speaker", request.speaker());
            }
            if (request.lengthScale() != null) {
                body.put("length_scale", request.lengthScale());
            }
        }
        return body.toString();
    }

    /** A failure for a status other than 200, with the server's own message when it gave one. */
    private SpeechException statusError(HttpResponse<InputStream> response, Deadline deadline) {
        int status = response.statusCode();
        HttpAnswer head = HttpTransport.head(response, MAX_ERROR_BODY);
        String said = serverMessage(head.text());
        SpeechException.Kind kind = SpeechException.Kind.of(HttpFailure.ofStatus(status));
        String message =
                switch (kind) {
                    case UNAUTHORIZED -> "the server refused the key";
                    case NOT_FOUND ->
                        "no such route: is this a "
                                + (protocol == Protocol.OPENAI ? "OpenAI-compatible speech" : "Piper") + " server?";
                    case BUSY -> "the server is busy";
                    case SERVER_ERROR -> "the server failed";
                    default -> "the server refused the request";
                };
        if (!said.isEmpty()) {
            message += " [" + said + "]";
        }
        if (deadline.expired()) {
            message += " (answer cut short by the timeout)";
        }
        return new SpeechException(
                kind,
                server,
                route,
                status,
                message,
                null,
                RetryAfter.of(status, response.headers(), InstantSource.system())
                        .orElse(null));
    }

    /** OpenAI's {@code error.message}, Kokoro-FastAPI's {@code detail}, or the text's first line. */
    static String serverMessage(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            if (node != null && node.isObject()) {
                JsonNode error = node.path("error");
                if (error.isObject() && error.path("message").isTextual()) {
                    return oneLine(error.path("message").asText());
                }
                if (error.isTextual()) {
                    return oneLine(error.asText());
                }
                JsonNode detail = node.path("detail");
                if (!detail.isMissingNode()) {
                    return oneLine(detail.isTextual() ? detail.asText() : detail.toString());
                }
            }
        } catch (IOException e) {
            // not JSON: the text itself
        }
        return oneLine(text);
    }

    private static String oneLine(String text) {
        String line = text == null ? "" : text.replaceAll("\\p{Cntrl}+", " ").strip();
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    /** Aborts calls in flight and releases the connections. Idempotent. */
    @Override
    public void close() {
        transport.close();
    }

    /** Configures a {@link SpeechClient}; {@link ClientBuilder} has the shared settings. Not thread-safe. */
    public static final class Builder extends ClientBuilder<Builder> {
        private final Protocol protocol;
        private long maxAudioBytes = 32L << 20;

        private Builder(URI baseUri, Protocol protocol) {
            super(baseUri);
            this.protocol = Objects.requireNonNull(protocol, "protocol");
        }

        /** Sends {@code Authorization: Bearer <key>} (OpenAI); a blank key sends nothing. */
        public Builder apiKey(String key) {
            return key == null || key.isBlank() ? this : header("Authorization", "Bearer " + key.strip());
        }

        /** The most audio an answer may carry (default 32 MiB: minutes of WAV). */
        public Builder maxAudioBytes(long value) {
            if (value < 1) {
                throw new IllegalArgumentException("max audio bytes must be positive, was " + value);
            }
            maxAudioBytes = value;
            return this;
        }

        public SpeechClient build() {
            return new SpeechClient(this);
        }
    }
}
