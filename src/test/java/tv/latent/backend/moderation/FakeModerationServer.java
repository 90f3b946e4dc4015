package tv.latent.backend.moderation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * An OpenAI-compatible {@code POST /v1/moderations} on 127.0.0.1, speaking the documented answer
 * shape: it flags an input that contains one of the phrases it was told to flag, in that phrase's
 * category. On demand: 500s, 401s, garbage, an answer larger than any client reads, or no answer.
 */
public final class FakeModerationServer implements AutoCloseable {
    public enum Mode {
        ANSWER,
        SERVER_ERROR,
        UNAUTHORIZED,
        GARBAGE,
        HUGE,
        SILENT
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CATEGORIES = List.of("sexual", "hate", "harassment", "self-harm", "violence");

    private final HttpServer server;
    private final Map<String, String> flagged = new ConcurrentHashMap<>();
    private final CountDownLatch released = new CountDownLatch(1);
    /** Every input received, in order. */
    public final List<String> inputs = new CopyOnWriteArrayList<>();
    /** The Authorization header of every request ("null" when absent). */
    public final List<String> authorizations = new CopyOnWriteArrayList<>();

    public volatile Mode mode = Mode.ANSWER;

    public FakeModerationServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/moderations", this::handle);
        server.start();
    }

    /** The API base to configure: {@code http://127.0.0.1:<port>/v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** Inputs containing {@code phrase} (case ignored) are flagged in {@code category}. */
    public FakeModerationServer flag(String phrase, String category) {
        flagged.put(phrase.toLowerCase(Locale.ROOT), category);
        return this;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            authorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            JsonNode body = JSON.readTree(ex.getRequestBody());
            String input = body.path("input").asText("");
            inputs.add(input);
            switch (mode) {
                case SERVER_ERROR -> send(ex, 500, "{\"error\": {\"message\": \"overloaded\"}}");
                case UNAUTHORIZED ->
                    send(
                            ex,
                            401,
                            "{\"error\": {\"message\": \"Incorrect API key provided\", \"type\": \"invalid_request_error\"}}");
                case GARBAGE -> send(ex, 200, "<html>gateway</html>");
                case HUGE -> send(ex, 200, "{\"results\": [\"" + "x".repeat(300_000) + "\"]}");
                case SILENT -> {
                    try {
                        released.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                case ANSWER -> send(ex, 200, answer(body.path("model").asText(), input));
            }
        }
    }

    private String answer(String model, String input) throws IOException {
        String lower = input.toLowerCase(Locale.ROOT);
        ObjectNode root = JSON.createObjectNode().put("id", "modr-1").put("model", model);
        ObjectNode result = root.putArray("results").addObject();
        ObjectNode categories = result.putObject("categories");
        ObjectNode scores = result.putObject("category_scores");
        boolean any = false;
        for (String category : CATEGORIES) {
            boolean hit = flagged.entrySet().stream()
                    .anyMatch(e -> e.getValue().equals(category) && lower.contains(e.getKey()));
            any |= hit;
            categories.put(category, hit);
            scores.put(category, hit ? 0.97 : 0.001);
        }
        result.put("flagged", any);
        return JSON.writeValueAsString(root);
    }

    private static void send(HttpExchange ex, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
    }
}
