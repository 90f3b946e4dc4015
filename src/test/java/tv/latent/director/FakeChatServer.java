package tv.latent.director;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-compatible {@code POST /v1/chat/completions} on 127.0.0.1 that writes as many unique
 * shots as the request's {@code count} asks, in the JSON-schema shape. On demand: invalid JSON
 * once, 500, a 429 with Retry-After, an endless answer, a gzip bomb, titles and prompts full of
 * control characters, or down (closed).
 */
final class FakeChatServer implements AutoCloseable {
    enum Mode {
        VALID,
        INVALID_JSON_ONCE,
        INVALID_JSON_ALWAYS,
        SERVER_ERROR,
        /** 429 with {@code Retry-After: 30}. */
        RATE_LIMITED,
        /** 200 whose body never ends. */
        ENDLESS_ANSWER,
        /** 200 with a gzip body of 100 KB that inflates to 100 MB. */
        GZIP_BOMB,
        /** Valid shots whose titles and prompts carry newlines, control characters and bidi overrides. */
        CONTROL_CHARACTERS,
        /** Adapts a viewer's suggestion into a prompt that forgets the viewer's words. */
        DROPS_THE_VIEWERS_WORDS
    }

    /** Bytes of answer bodies written (shows an endless answer was cut off). */
    final java.util.concurrent.atomic.AtomicLong bytesSent = new java.util.concurrent.atomic.AtomicLong();

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final AtomicInteger shotNumber = new AtomicInteger();
    final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    volatile Mode mode = Mode.VALID;

    FakeChatServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/chat/completions", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            JsonNode body = JSON.readTree(ex.getRequestBody());
            requests.add(body);
            authorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            Mode now = mode;
            if (now == Mode.SERVER_ERROR) {
                send(ex, 500, "{\"error\": {\"message\": \"model overloaded\", \"type\": \"server_error\"}}");
                return;
            }
            if (now == Mode.RATE_LIMITED) {
                ex.getResponseHeaders().set("Retry-After", "30");
                send(ex, 429, "{\"error\": {\"message\": \"Rate limit reached\", \"type\": \"requests\"}}");
                return;
            }
            if (now == Mode.ENDLESS_ANSWER) {
                endless(ex);
                return;
            }
            if (now == Mode.GZIP_BOMB) {
                gzipBomb(ex);
                return;
            }
            String content;
            if (now == Mode.INVALID_JSON_ONCE || now == Mode.INVALID_JSON_ALWAYS) {
                if (now == Mode.INVALID_JSON_ONCE) {
                    mode = Mode.VALID;
                }
                content = "Sure! Here are your shots: {shots: [oops";
            } else {
                String user = body.path("messages").get(1).path("content").asText();
                JsonNode ask = JSON.readTree(user.lines().findFirst().orElse("{}"));
                int count = ask.path("count").asInt(1);
                String suggestion = ask.path("suggestion").asText("");
                boolean narrated = ask.has("narration");
                ObjectNode answer = JSON.createObjectNode();
                ArrayNode shots = answer.putArray("shots");
                for (int i = 0; i < count; i++) {
                    int n = shotNumber.incrementAndGet();
                    boolean hostile = now == Mode.CONTROL_CHARACTERS;
                    String prompt = suggestion.isEmpty() || now == Mode.DROPS_THE_VIEWERS_WORDS
                            ? (hostile ? "a red fox\u0000 number\u2066 " : "a red fox number ") + n
                                    + " crossing a misty river at golden hour, cinematic"
                            : "Medium shot, slow dolly in: " + suggestion + ", golden hour light, 35mm film";
                    shots.addObject()
                            .put("title", hostile ? "Shot\n" + n + "\u202E\u0007\r\nINJECTED" : "Shot " + n)
                            .put("prompt", prompt)
                            .put("music", hostile ? "calm\u009b ambient\tpiano" : "calm ambient piano");
                    if (narrated) {
                        // longer than a shot has time for: the director shortens it at a word boundary
                        ((ObjectNode) shots.get(shots.size() - 1))
                                .put(
                                        "narration",
                                        (hostile ? "And here,\n number " : "And here, number ") + n
                                                + ", the red fox crosses the misty river while the whole valley"
                                                + " watches in silence.");
                    }
                }
                content = JSON.writeValueAsString(answer);
            }
            ObjectNode completion = JSON.createObjectNode();
            completion
                    .put("id", "chatcmpl-1")
                    .put("object", "chat.completion")
                    .put("created", 1)
                    .put("model", body.path("model").asText());
            ObjectNode choice = completion.putArray("choices").addObject();
            choice.put("index", 0).put("finish_reason", "stop");
            choice.putObject("message").put("role", "assistant").put("content", content);
            completion
                    .putObject("usage")
                    .put("prompt_tokens", 1)
                    .put("completion_tokens", 1)
                    .put("total_tokens", 2);
            send(ex, 200, JSON.writeValueAsString(completion));
        }
    }

    private void endless(HttpExchange ex) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, 0);
        byte[] chunk = " ".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
        try {
            ex.getResponseBody().write("{\"id\": \"x\", \"padding\": \"".getBytes(StandardCharsets.US_ASCII));
            while (bytesSent.get() < (4L << 30)) {
                ex.getResponseBody().write(chunk);
                bytesSent.addAndGet(chunk.length);
            }
        } catch (IOException gone) {
            // the client hung up: what an endless answer is for
        }
    }

    private void gzipBomb(HttpExchange ex) throws IOException {
        var compressed = new java.io.ByteArrayOutputStream();
        try (var gzip = new java.util.zip.GZIPOutputStream(compressed)) {
            gzip.write("{\"id\": \"x\", \"padding\": \"".getBytes(StandardCharsets.US_ASCII));
            byte[] spaces = " ".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 100; i++) {
                gzip.write(spaces);
            }
            gzip.write("\"}".getBytes(StandardCharsets.US_ASCII));
        }
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.getResponseHeaders().set("Content-Encoding", "gzip");
        ex.sendResponseHeaders(200, compressed.size());
        ex.getResponseBody().write(compressed.toByteArray());
        bytesSent.addAndGet(compressed.size());
    }

    private static void send(HttpExchange ex, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
