package tv.latent.backend.comfyui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.UploadedFile;
import io.javalin.websocket.WsContext;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import tv.latent.backend.testing.FakeBodies;
import tv.latent.testing.TestMedia;

/**
 * A stand-in for a ComfyUI server, speaking its real protocol on 127.0.0.1 and an ephemeral
 * port, every route also under {@code /api}: {@code POST /prompt}, {@code /ws} with a realistic
 * event sequence (status, execution_start, execution_cached, executing, progress with binary
 * previews, executed, execution_success, executing null), {@code GET /history/{id}} (filled a
 * little after the socket says done, as in ComfyUI), {@code GET /view}, {@code POST
 * /upload/image}, {@code GET|POST /queue}, {@code POST /interrupt}.
 *
 * <p>It "runs" a workflow one prompt at a time: each node in order, sampler steps for nodes whose
 * class name contains "Sampler", and a video output for SaveVideo/SaveWEBM (core: {@code images}
 * with {@code animated}) or VHS_VideoCombine ({@code gifs}). A workflow without such a node is
 * refused like ComfyUI refuses one without outputs, and so is one with an unfilled
 * {@code {{placeholder}}}. On demand it misbehaves.
 *
 * <pre>{@code
 * try (FakeComfyUiServer fake = FakeComfyUiServer.builder().steps(3).start();
 *     ComfyUiClient comfy = ComfyUiClient.builder(fake.baseUri()).build()) {
 *   Path clip = comfy.renderVideo(workflow, inputs, dir.resolve("clip.mp4"), timeout, listener);
 *   assertThat(fake.lastPrompt().at("/prompt/6/inputs/text").asText()).isEqualTo("a fox");
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class FakeComfyUiServer implements AutoCloseable {

    /** How the fake misbehaves. */
    public enum Misbehaviour {
        NONE,
        /** 400 from /prompt with ComfyUI's validation error and node errors. */
        REJECT_WORKFLOW,
        /** 500 from /prompt. */
        SERVER_ERROR,
        /** The sampler node raises (CUDA out of memory): execution_error, history status error. */
        EXECUTION_ERROR,
        /** The WebSocket connection is closed by the server right after execution_start. */
        WEBSOCKET_DROPS,
        /** The WebSocket upgrade is refused (403). */
        NO_WEBSOCKET,
        /** The sampler never finishes until interrupted. */
        NEVER_FINISHES,
        /** The history names the output file {@code ../../escape.mp4}. */
        UNSAFE_FILENAME,
        /** /view streams an endless body. */
        ENDLESS_VIEW,
        /** /view sends half the file, then drops the connection. */
        DISCONNECT_VIEW,
        /** 429 from /prompt with {@code Retry-After: 7}. */
        RATE_LIMITED
    }

    /** Which route prefixes the fake serves. */
    public enum Routes {
        /** Bare and {@code /api} (ComfyUI itself). */
        BOTH,
        /** Bare only (ComfyUI before the {@code /api} routes). */
        BARE,
        /** {@code /api} only (a front proxy that passes only those). */
        API
    }

    /** A file received by /upload/image. */
    public record Upload(String name, String subfolder, String type, boolean overwrite, byte[] content) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> VIDEO_NODES =
            Set.of("SaveVideo", "SaveWEBM", "VHS_VideoCombine", "SaveAnimatedPNG", "SaveAnimatedWEBP");

    private final Javalin app;
    private final ExecutorService queue;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final Map<String, WsContext> sockets = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> history = new ConcurrentHashMap<>();
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final List<JsonNode> prompts = new CopyOnWriteArrayList<>();
    private final List<String> pending = new CopyOnWriteArrayList<>();
    private final List<String> deleted = new CopyOnWriteArrayList<>();
    private final List<JsonNode> interrupts = new CopyOnWriteArrayList<>();
    private final List<Upload> uploads = new CopyOnWriteArrayList<>();
    private final List<String> webSocketClients = new CopyOnWriteArrayList<>();
    private final List<String> paths = new CopyOnWriteArrayList<>();
    private final Set<String> interruptRequested = ConcurrentHashMap.newKeySet();
    private final AtomicInteger number = new AtomicInteger();
    private final AtomicInteger counter = new AtomicInteger();
    private final AtomicLong viewBytesSent = new AtomicLong();
    private final int steps;
    private final Duration stepDelay;
    private final Duration historyDelay;
    private final byte[] video;
    private volatile Misbehaviour misbehaviour;
    private volatile String running;

    private FakeComfyUiServer(Builder b) {
        steps = b.steps;
        stepDelay = b.stepDelay;
        historyDelay = b.historyDelay;
        video = b.video != null ? b.video : TestMedia.mp4(256, 256, 16, 8);
        misbehaviour = b.misbehaviour;
        queue = Executors.newSingleThreadExecutor(r -> new Thread(r, "fake-comfyui-queue"));
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.startupWatcherEnabled = false;
            config.jetty.multipartConfig.maxFileSize(200, SizeUnit.MB);
            config.routes.before(ctx -> paths.add(ctx.method().name() + " " + ctx.path()));
            List<String> prefixes =
                    switch (b.routes) {
                        case BOTH -> List.of("", "/api");
                        case BARE -> List.of("");
                        case API -> List.of("/api");
                    };
            for (String prefix : prefixes) {
                config.routes.get(
                        prefix + "/system_stats",
                        ctx -> json(
                                ctx,
                                200,
                                "{\"system\": {\"os\": \"posix\", \"comfyui_version\": \"0.3.60\"}, \"devices\": []}"));
                config.routes.post(prefix + "/prompt", this::prompt);
                config.routes.get(prefix + "/history/{id}", this::history);
                config.routes.get(prefix + "/view", this::view);
                config.routes.post(prefix + "/upload/image", this::upload);
                config.routes.get(prefix + "/queue", this::getQueue);
                config.routes.post(prefix + "/queue", this::postQueue);
                config.routes.post(prefix + "/interrupt", this::interrupt);
                config.routes.wsBeforeUpgrade(prefix + "/ws", ctx -> {
                    if (misbehaviour == Misbehaviour.NO_WEBSOCKET) {
                        throw new ForbiddenResponse();
                    }
                });
                config.routes.ws(prefix + "/ws", ws -> {
                    ws.onConnect(this::connected);
                    ws.onClose(ctx -> sockets.values().remove(ctx));
                });
            }
        });
        app.start("127.0.0.1", 0);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Base address to give the client, {@code http://127.0.0.1:port}. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + app.port());
    }

    /** Changes how the fake behaves from now on. */
    public void misbehave(Misbehaviour value) {
        misbehaviour = Objects.requireNonNull(value);
    }

    /** Every /prompt body received ({@code prompt}, {@code client_id}, {@code prompt_id}). */
    public List<JsonNode> prompts() {
        return List.copyOf(prompts);
    }

    public JsonNode lastPrompt() {
        if (prompts.isEmpty()) {
            throw new IllegalStateException("no /prompt call received");
        }
        return prompts.getLast();
    }

    /** Prompt ids received in {@code POST /queue {"delete": [...]}}. */
    public List<String> deletedFromQueue() {
        return List.copyOf(deleted);
    }

    /** Bodies of {@code POST /interrupt} calls ({@code {}} when empty). */
    public List<JsonNode> interrupts() {
        return List.copyOf(interrupts);
    }

    public List<Upload> uploads() {
        return List.copyOf(uploads);
    }

    /** Every request received, as "METHOD /path", oldest first. */
    public List<String> paths() {
        return List.copyOf(paths);
    }

    /** Client ids of every WebSocket connection accepted. */
    public List<String> webSocketClients() {
        return List.copyOf(webSocketClients);
    }

    /** Bytes /view wrote (shows an endless download was cut off). */
    public long viewBytesSent() {
        return viewBytesSent.get();
    }

    private void connected(WsContext ctx) {
        String clientId = ctx.queryParam("clientId");
        if (clientId == null || clientId.isEmpty()) {
            clientId = UUID.randomUUID().toString().replace("-", "");
        }
        sockets.put(clientId, ctx);
        webSocketClients.add(clientId);
        ObjectNode data = JSON.createObjectNode();
        data.putObject("status").putObject("exec_info").put("queue_remaining", pending.size());
        data.put("sid", clientId);
        send(clientId, "status", data);
    }

    private void prompt(Context ctx) throws IOException {
        JsonNode body = JSON.readTree(ctx.body());
        prompts.add(body);
        if (misbehaviour == Misbehaviour.SERVER_ERROR) {
            ctx.status(500).contentType("text/plain").result("500 Internal Server Error");
            return;
        }
        if (misbehaviour == Misbehaviour.RATE_LIMITED) {
            ctx.status(429).header("Retry-After", "7").contentType("text/plain").result("slow down");
            return;
        }
        JsonNode graph = body.path("prompt");
        if (!graph.isObject() || graph.isEmpty()) {
            json(
                    ctx,
                    400,
                    "{\"error\": {\"type\": \"invalid_prompt\", \"message\": \"Cannot execute"
                            + " because the prompt is empty\", \"details\": \"\", \"extra_info\": {}},"
                            + " \"node_errors\": {}}");
            return;
        }
        String unfilled = unfilledPlaceholder(graph);
        if (misbehaviour == Misbehaviour.REJECT_WORKFLOW || unfilled != null) {
            String nodeId = unfilled != null ? unfilled : graph.fieldNames().next();
            ObjectNode answer = JSON.createObjectNode();
            answer.putObject("error")
                    .put("type", "prompt_outputs_failed_validation")
                    .put("message", "Prompt outputs failed validation")
                    .put("details", "")
                    .putObject("extra_info");
            ObjectNode nodeError = answer.putObject("node_errors").putObject(nodeId);
            nodeError
                    .putArray("errors")
                    .addObject()
                    .put("type", "value_not_in_list")
                    .put("message", unfilled != null ? "Unfilled placeholder" : "Value not in list")
                    .put(
                            "details",
                            unfilled != null
                                    ? "a {{placeholder}} was left in the inputs"
                                    : "ckpt_name: 'missing.safetensors' not in ['zeroscope_v2_576w.safetensors']")
                    .putObject("extra_info");
            nodeError.putArray("dependent_outputs");
            nodeError.put("class_type", graph.path(nodeId).path("class_type").asText());
            json(ctx, 400, JSON.writeValueAsString(answer));
            return;
        }
        String outputNode = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = graph.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> node = it.next();
            if (VIDEO_NODES.contains(node.getValue().path("class_type").asText())) {
                outputNode = node.getKey();
            }
        }
        if (outputNode == null) {
            json(
                    ctx,
                    400,
                    "{\"error\": {\"type\": \"prompt_no_outputs\", \"message\": \"Prompt has no"
                            + " outputs\", \"details\": \"\", \"extra_info\": {}}, \"node_errors\": []}");
            return;
        }
        String promptId = body.path("prompt_id").isTextual()
                ? body.get("prompt_id").asText()
                : UUID.randomUUID().toString();
        String clientId = body.path("client_id").asText("");
        int position = number.getAndIncrement();
        pending.add(promptId);
        String output = outputNode;
        queue.execute(() -> run(promptId, clientId, (ObjectNode) graph, output));
        json(ctx, 200, "{\"prompt_id\": \"" + promptId + "\", \"number\": " + position + ", \"node_errors\": {}}");
    }

    private static String unfilledPlaceholder(JsonNode graph) {
        for (Iterator<Map.Entry<String, JsonNode>> it = graph.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> node = it.next();
            if (node.getValue().path("inputs").toString().contains("{{")) {
                return node.getKey();
            }
        }
        return null;
    }

    private void run(String promptId, String clientId, ObjectNode graph, String outputNode) {
        if (!pending.remove(promptId)) {
            return;
        }
        running = promptId;
        try {
            var messages = JSON.createArrayNode();
            ObjectNode status = JSON.createObjectNode();
            status.putObject("status").putObject("exec_info").put("queue_remaining", pending.size() + 1);
            send(clientId, "status", status);
            ObjectNode start = event(promptId).put("timestamp", System.currentTimeMillis());
            send(clientId, "execution_start", start);
            messages.addArray().add("execution_start").add(start);
            if (misbehaviour == Misbehaviour.WEBSOCKET_DROPS) {
                WsContext socket = sockets.remove(clientId);
                if (socket != null) {
                    // a close frame goes out after execution_start: an abrupt disconnect could
                    // reset the connection before the client has read that event
                    socket.closeSession(1011, "server dropped the socket");
                }
            }
            send(clientId, "execution_cached", event(promptId).set("nodes", JSON.createArrayNode()));
            var executed = new ArrayList<String>();
            ObjectNode outputs = JSON.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = graph.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> node = it.next();
                String nodeId = node.getKey();
                String classType = node.getValue().path("class_type").asText();
                send(clientId, "executing", event(promptId).put("node", nodeId).put("display_node", nodeId));
                if (classType.contains("Sampler")) {
                    if (misbehaviour == Misbehaviour.EXECUTION_ERROR) {
                        ObjectNode error = event(promptId)
                                .put("node_id", nodeId)
                                .put("node_type", classType)
                                .put("exception_message", "CUDA out of memory. Tried to allocate 2.00 GiB.\n")
                                .put("exception_type", "torch.OutOfMemoryError");
                        error.set("executed", JSON.valueToTree(executed));
                        error.putArray("traceback").add("  File \"execution.py\", line 327, in execute\n");
                        send(clientId, "execution_error", error);
                        messages.addArray().add("execution_error").add(error);
                        finish(promptId, "error", false, messages, JSON.createObjectNode());
                        return;
                    }
                    int step = 0;
                    while (step < steps || misbehaviour == Misbehaviour.NEVER_FINISHES) {
                        if (interruptRequested.remove(promptId) || stopping.getCount() == 0) {
                            ObjectNode interrupted =
                                    event(promptId).put("node_id", nodeId).put("node_type", classType);
                            interrupted.set("executed", JSON.valueToTree(executed));
                            send(clientId, "execution_interrupted", interrupted);
                            messages.addArray().add("execution_interrupted").add(interrupted);
                            finish(promptId, "error", false, messages, JSON.createObjectNode());
                            return;
                        }
                        FakeBodies.pause(stopping, stepDelay);
                        step = Math.min(step + 1, steps);
                        send(
                                clientId,
                                "progress",
                                event(promptId)
                                        .put("value", step)
                                        .put("max", steps)
                                        .put("node", nodeId));
                        sendPreview(clientId);
                    }
                }
                if (nodeId.equals(outputNode)) {
                    ObjectNode output = outputOf(classType);
                    outputs.set(nodeId, output);
                    send(
                            clientId,
                            "executed",
                            event(promptId)
                                    .put("node", nodeId)
                                    .put("display_node", nodeId)
                                    .set("output", output));
                }
                executed.add(nodeId);
            }
            ObjectNode success = event(promptId).put("timestamp", System.currentTimeMillis());
            send(clientId, "execution_success", success);
            messages.addArray().add("execution_success").add(success);
            send(clientId, "executing", event(promptId).putNull("node"));
            // ComfyUI stores the history entry only after telling the socket it is done.
            FakeBodies.pause(stopping, historyDelay);
            finish(promptId, "success", true, messages, outputs);
        } finally {
            running = null;
        }
    }

    private ObjectNode outputOf(String classType) {
        int n = counter.incrementAndGet();
        String filename = misbehaviour == Misbehaviour.UNSAFE_FILENAME
                ? "../../escape.mp4"
                : String.format("LatentTV_%05d_.mp4", n);
        ObjectNode output = JSON.createObjectNode();
        if (classType.equals("VHS_VideoCombine")) {
            files.put(key("output", "", filename), video);
            output.putArray("gifs")
                    .addObject()
                    .put("filename", filename)
                    .put("subfolder", "")
                    .put("type", "output")
                    .put("format", "video/h264-mp4")
                    .put("frame_rate", 8.0)
                    .put("workflow", filename.replace(".mp4", ".png"))
                    .put("fullpath", "/srv/comfyui/output/" + filename);
        } else {
            // SaveAnimatedPNG/WEBP name an animated image; the bytes stay the fake's video
            String named = classType.equals("SaveAnimatedPNG")
                    ? filename.replace(".mp4", ".png")
                    : classType.equals("SaveAnimatedWEBP")
                            ? filename.replace(".mp4", ".webp")
                            : classType.equals("SaveWEBM") ? filename.replace(".mp4", ".webm") : filename;
            files.put(key("output", "video", named), video);
            output.putArray("images")
                    .addObject()
                    .put("filename", named)
                    .put("subfolder", "video")
                    .put("type", "output");
            output.putArray("animated").add(true);
        }
        return output;
    }

    private void finish(String promptId, String statusText, boolean completed, ArrayNode messages, ObjectNode outputs) {
        ObjectNode entry = JSON.createObjectNode();
        entry.putArray("prompt").add(0).add(promptId);
        entry.set("outputs", outputs);
        entry.putObject("status")
                .put("status_str", statusText)
                .put("completed", completed)
                .set("messages", messages);
        entry.putObject("meta");
        history.put(promptId, entry);
    }

    private static ObjectNode event(String promptId) {
        return JSON.createObjectNode().put("prompt_id", promptId);
    }

    private void send(String clientId, String type, JsonNode data) {
        WsContext socket = sockets.get(clientId);
        if (socket == null) {
            return;
        }
        ObjectNode message = JSON.createObjectNode().put("type", type);
        message.set("data", data);
        synchronized (socket) {
            if (socket.session.isOpen()) {
                socket.send(message.toString());
            }
        }
    }

    private void sendPreview(String clientId) {
        WsContext socket = sockets.get(clientId);
        if (socket == null) {
            return;
        }
        // Event type 1 (preview image), format 1 (JPEG), then a few bytes standing for the image.
        ByteBuffer frame =
                ByteBuffer.allocate(16).putInt(1).putInt(1).putLong(0xFFD8FFE0L).flip();
        synchronized (socket) {
            if (socket.session.isOpen()) {
                socket.send(frame);
            }
        }
    }

    private void history(Context ctx) throws IOException {
        String id = ctx.pathParam("id");
        ObjectNode answer = JSON.createObjectNode();
        ObjectNode entry = history.get(id);
        if (entry != null) {
            answer.set(id, entry);
        }
        json(ctx, 200, JSON.writeValueAsString(answer));
    }

    private void view(Context ctx) throws IOException {
        String filename = Objects.requireNonNullElse(ctx.queryParam("filename"), "");
        String subfolder = Objects.requireNonNullElse(ctx.queryParam("subfolder"), "");
        String type = Objects.requireNonNullElse(ctx.queryParam("type"), "output");
        if (filename.isEmpty() || filename.startsWith("/") || filename.contains("..")) {
            ctx.status(400);
            return;
        }
        if (misbehaviour == Misbehaviour.ENDLESS_VIEW) {
            FakeBodies.endless(ctx, "video/mp4", new byte[0], new byte[64 * 1024], stopping, viewBytesSent);
            return;
        }
        byte[] content = files.get(key(type, subfolder, filename));
        if (content == null) {
            ctx.status(404);
            return;
        }
        ctx.header("Content-Disposition", "filename=\"" + filename + "\"");
        if (misbehaviour == Misbehaviour.DISCONNECT_VIEW) {
            FakeBodies.disconnectMidBody(ctx, "video/mp4", content, viewBytesSent, "fake ComfyUI");
            return;
        }
        viewBytesSent.addAndGet(content.length);
        ctx.status(200).contentType("video/mp4").result(content);
    }

    private void upload(Context ctx) throws IOException {
        UploadedFile image = ctx.uploadedFile("image");
        if (image == null || image.filename().isEmpty()) {
            ctx.status(400);
            return;
        }
        String type = Objects.requireNonNullElse(ctx.formParam("type"), "input");
        String subfolder = Objects.requireNonNullElse(ctx.formParam("subfolder"), "");
        boolean overwrite = "true".equals(ctx.formParam("overwrite")) || "1".equals(ctx.formParam("overwrite"));
        if (subfolder.contains("..") || image.filename().contains("..")) {
            ctx.status(400);
            return;
        }
        byte[] content;
        try (var in = image.content()) {
            content = in.readAllBytes();
        }
        String name = image.filename();
        if (!overwrite) {
            int dot = name.lastIndexOf('.');
            String stem = dot > 0 ? name.substring(0, dot) : name;
            String extension = dot > 0 ? name.substring(dot) : "";
            for (int i = 1; files.containsKey(key(type, subfolder, name)); i++) {
                name = stem + " (" + i + ")" + extension;
            }
        }
        files.put(key(type, subfolder, name), content);
        uploads.add(new Upload(name, subfolder, type, overwrite, content));
        json(ctx, 200, JSON.writeValueAsString(Map.of("name", name, "subfolder", subfolder, "type", type)));
    }

    private void getQueue(Context ctx) throws IOException {
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode runningList = answer.putArray("queue_running");
        String current = running;
        if (current != null) {
            runningList.addArray().add(0).add(current).addObject();
        }
        ArrayNode pendingList = answer.putArray("queue_pending");
        pending.forEach(id -> pendingList.addArray().add(1).add(id).addObject());
        json(ctx, 200, JSON.writeValueAsString(answer));
    }

    private void postQueue(Context ctx) throws IOException {
        JsonNode body = JSON.readTree(ctx.body());
        for (JsonNode id : body.path("delete")) {
            deleted.add(id.asText());
            pending.remove(id.asText());
        }
        if (body.path("clear").asBoolean(false)) {
            pending.clear();
        }
        ctx.status(200);
    }

    private void interrupt(Context ctx) throws IOException {
        JsonNode body = ctx.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(ctx.body());
        interrupts.add(body);
        String current = running;
        String target = body.path("prompt_id").asText(null);
        // Like ComfyUI since 2025: a named prompt is only interrupted if it is the one running.
        if (current != null && (target == null || target.equals(current))) {
            interruptRequested.add(current);
        }
        ctx.status(200);
    }

    private static void json(Context ctx, int status, String body) {
        ctx.status(status).contentType("application/json").result(body);
    }

    private static String key(String type, String subfolder, String filename) {
        return type + "|" + subfolder + "|" + filename;
    }

    /** Stops the server and its queue. Idempotent. */
    @Override
    public void close() {
        if (stopping.getCount() > 0) {
            stopping.countDown();
            queue.shutdownNow();
            app.stop();
            try {
                queue.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Configures a {@link FakeComfyUiServer}. Not thread-safe. */
    public static final class Builder {
        private int steps = 5;
        private Duration stepDelay = Duration.ofMillis(20);
        private Duration historyDelay = Duration.ofMillis(50);
        private byte[] video;
        private Misbehaviour misbehaviour = Misbehaviour.NONE;
        private Routes routes = Routes.BOTH;

        private Builder() {}

        /** Which route prefixes it serves (default both, as ComfyUI does). */
        public Builder routes(Routes value) {
            routes = value;
            return this;
        }

        /** Sampler steps reported with progress events (default 5). */
        public Builder steps(int value) {
            steps = value;
            return this;
        }

        /** Time each sampler step takes (default 20 ms). */
        public Builder stepDelay(Duration value) {
            stepDelay = value;
            return this;
        }

        /** How long after "done" on the socket the history entry appears (default 50 ms). */
        public Builder historyDelay(Duration value) {
            historyDelay = value;
            return this;
        }

        /** The video every output node "writes" (default: a 256x256, 16-frame test pattern). */
        public Builder video(byte[] mp4) {
            video = mp4.clone();
            return this;
        }

        public Builder misbehave(Misbehaviour value) {
            misbehaviour = value;
            return this;
        }

        public FakeComfyUiServer start() {
            return new FakeComfyUiServer(this);
        }
    }
}
