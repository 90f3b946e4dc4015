package tv.latent.backend.comfyui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens to ComfyUI's {@code /ws} for one client id: passes progress to a {@link
 * PromptListener} and queues the events that end a prompt for the waiting thread. Binary
 * frames (previews) are dropped. A close or error queues {@link Signal.Type#CLOSED}.
 *
 * <p>Thread-safe: the JDK delivers events one at a time; the waiting thread only polls.
 */
final class ProgressSocket implements WebSocket.Listener {

    /** An event that matters to the waiting thread. */
    record Signal(Type type, String promptId, JsonNode data) {
        enum Type {
            DONE,
            ERROR,
            INTERRUPTED,
            CLOSED
        }
    }

    private static final Logger log = LoggerFactory.getLogger(ProgressSocket.class);
    private static final int MAX_MESSAGE_CHARS = 8 * 1024 * 1024;

    private final ObjectMapper json = new ObjectMapper();
    /**
     * Signals waiting for the caller. Bounded: a server flooding the socket with ends of other
     * prompts only fills it; further signals are dropped (the caller reads {@code /history} now
     * and then, so a dropped end of its own prompt is still seen).
     */
    private final BlockingQueue<Signal> signals = new LinkedBlockingQueue<>(256);

    private final PromptListener listener;
    private final StringBuilder message = new StringBuilder();
    private volatile boolean open = true;
    private volatile WebSocket socket;

    ProgressSocket(PromptListener listener) {
        this.listener = listener;
    }

    boolean isOpen() {
        return open;
    }

    /** The next signal, waiting up to {@code nanos}; null when none came. */
    Signal poll(long nanos) throws InterruptedException {
        return signals.poll(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        socket = webSocket;
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        message.append(data);
        if (message.length() > MAX_MESSAGE_CHARS) {
            log.warn("ComfyUI sent a WebSocket message over {} characters; dropping the socket", MAX_MESSAGE_CHARS);
            message.setLength(0);
            closed();
            webSocket.abort();
            return null;
        }
        if (last) {
            String text = message.toString();
            message.setLength(0);
            handle(text);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        log.debug("ComfyUI WebSocket closed: {} {}", statusCode, reason);
        closed();
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        log.debug("ComfyUI WebSocket failed", error);
        closed();
    }

    private void closed() {
        if (open) {
            open = false;
            signals.offer(new Signal(Signal.Type.CLOSED, null, null));
        }
    }

    /** Drops the connection at once. Idempotent. */
    void abort() {
        open = false;
        WebSocket s = socket;
        if (s != null) {
            s.abort();
        }
    }

    private void handle(String text) {
        JsonNode event;
        try {
            event = json.readTree(text);
        } catch (IOException e) {
            log.debug("ignoring a WebSocket message that is not JSON: {}", abbreviate(text));
            return;
        }
        if (event == null || !event.path("type").isTextual()) {
            return;
        }
        JsonNode data = event.path("data");
        String promptId =
                data.path("prompt_id").isTextual() ? data.get("prompt_id").asText() : null;
        try {
            switch (event.get("type").asText()) {
                case "status" -> {
                    JsonNode remaining = data.path("status").path("exec_info").path("queue_remaining");
                    if (remaining.isNumber()) {
                        listener.queueRemaining(remaining.asInt());
                    }
                }
                case "execution_start" -> listener.started(promptId);
                case "execution_cached" -> {
                    List<String> nodes = new ArrayList<>();
                    data.path("nodes").forEach(node -> nodes.add(node.asText()));
                    listener.cached(nodes);
                }
                case "executing" -> {
                    JsonNode node = data.get("node");
                    if (node == null || node.isNull()) {
                        signals.offer(new Signal(Signal.Type.DONE, promptId, data));
                    } else {
                        listener.executing(node.asText());
                    }
                }
                case "progress" ->
                    listener.step(
                            data.path("node").asText(null),
                            data.path("value").asInt(),
                            data.path("max").asInt());
                case "executed" -> listener.executed(data.path("node").asText(null));
                case "execution_success" -> signals.offer(new Signal(Signal.Type.DONE, promptId, data));
                case "execution_error" -> signals.offer(new Signal(Signal.Type.ERROR, promptId, data));
                case "execution_interrupted" -> signals.offer(new Signal(Signal.Type.INTERRUPTED, promptId, data));
                default ->
                    log.trace("ignoring ComfyUI event {}", event.get("type").asText());
            }
        } catch (RuntimeException e) {
            log.warn("a progress listener failed; ignoring", e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }
}
