package tv.latent.backend.comfyui;

import static tv.latent.backend.comfyui.ComfyUiException.Kind.CANCELLED;
import static tv.latent.backend.comfyui.ComfyUiException.Kind.DISCONNECTED;
import static tv.latent.backend.comfyui.ComfyUiException.Kind.EXECUTION_FAILED;
import static tv.latent.backend.comfyui.ComfyUiException.Kind.INTERRUPTED;
import static tv.latent.backend.comfyui.ComfyUiException.Kind.LOCAL_IO;
import static tv.latent.backend.comfyui.ComfyUiException.Kind.MALFORMED_RESPONSE;
import static tv.latent.backend.comfyui.ComfyUiException.Kind.NO_VIDEO_OUTPUT;
import static tv.latent.backend.comfyui.ComfyUiException.Kind.REJECTED;
import static tv.latent.backend.comfyui.ComfyUiException.Kind.TIMEOUT;
import static tv.latent.backend.comfyui.ComfyUiException.Kind.TOO_LARGE;
import static tv.latent.backend.comfyui.ComfyUiException.Kind.UNSAFE_OUTPUT;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
import tv.latent.backend.http.Multipart;
import tv.latent.backend.http.RetryAfter;

/**
 * Client of a ComfyUI server: queues API-format workflows ({@code POST /prompt}), follows them
 * over the WebSocket ({@code /ws}) with {@code /history} polling as a fallback, downloads their
 * outputs ({@code /view}), uploads input videos ({@code /upload/image}) and cancels
 * ({@code /queue}, {@code /interrupt}).
 *
 * <pre>{@code
 * Workflow workflow = Workflow.load(Path.of("workflows/zeroscope-576w.json"));
 * try (ComfyUiClient comfy = ComfyUiClient.builder(URI.create("http://gpu-box:8188")).build()) {
 *   WorkflowInputs inputs = WorkflowInputs.builder()
 *       .prompt("a panda sailing a boat, Studio Ghibli style").negativePrompt("text, watermark")
 *       .seed(42).size(576, 320).frames(24).fps(8).build();
 *   Path clip = comfy.renderVideo(workflow, inputs, Path.of("clips/panda.mp4"),
 *       Duration.ofMinutes(10), new PromptListener() {
 *         public void step(String node, int value, int max) { log.info("{}/{}", value, max); }
 *       });
 * }
 * }</pre>
 *
 * <p>When a prompt overruns its timeout the client deletes it from the queue and, if it is the
 * one running, interrupts it (best effort), then fails with {@link ComfyUiException.Kind#TIMEOUT}.
 * Downloads go to a temporary file next to the caller's target and are moved into place
 * atomically; server-given file names only ever address {@code /view}.
 *
 * <p>Thread-safe: concurrent {@code run} calls each use their own client id and WebSocket.
 */
public final class ComfyUiClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ComfyUiClient.class);
    private static final int MAX_JSON_BYTES = 32 * 1024 * 1024;
    private static final Set<String> DIRECTORY_TYPES = Set.of("output", "temp", "input");

    private final URI server;
    private final String root;
    /** Whether to use the {@code /api} routes: true, false, or null to use them when the server has them. */
    private final Boolean apiRoutes;

    private volatile String prefix;
    private final HttpTransport<ComfyUiException> transport;
    private final Map<String, String> headers;
    private final Duration callTimeout;
    private final Duration promptTimeout;
    private final Duration transferTimeout;
    private final Duration pollInterval;
    private final long maxDownloadBytes;
    private final Set<ProgressSocket> sockets = ConcurrentHashMap.newKeySet();
    private final ObjectMapper json = new ObjectMapper();

    private ComfyUiClient(Builder b) {
        server = b.baseUri();
        apiRoutes = b.apiRoutes;
        root = ClientOptions.withoutTrailingSlash(server);
        prefix = apiRoutes == null ? null : apiRoutes ? "/api" : "";
        headers = b.headers();
        callTimeout = b.callTimeout();
        promptTimeout = b.promptTimeout;
        transferTimeout = b.transferTimeout;
        pollInterval = b.pollInterval;
        maxDownloadBytes = b.maxDownloadBytes;
        transport = new HttpTransport<>(
                "comfyui-watchdog-" + server.getAuthority(),
                b.connectTimeout(),
                (failure, route, message, cause) -> ComfyUiException.of(
                                ComfyUiException.Kind.of(failure), server, route, message)
                        .cause(cause)
                        .build());
    }

    /** Starts configuring a client of the ComfyUI server at {@code baseUri}, e.g. :8188. */
    public static Builder builder(URI baseUri) {
        return new Builder(baseUri);
    }

    /**
     * Fills {@code workflow}, runs it, and downloads its first video output to {@code target}.
     *
     * @param timeout for running the prompt (queueing included); the download has its own
     * @throws ComfyUiException NO_VIDEO_OUTPUT when the prompt produced no video, or as {@link
     *     #run} and {@link #download}
     * @throws IllegalArgumentException when the inputs lack a value the workflow uses
     */
    public Path renderVideo(
            Workflow workflow, WorkflowInputs inputs, Path target, Duration timeout, PromptListener listener)
            throws ComfyUiException {
        PromptResult result = run(workflow, inputs, timeout, listener);
        OutputFile video = result.video().orElseThrow(() -> ComfyUiException.of(
                        NO_VIDEO_OUTPUT,
                        server,
                        route("GET", "/history/{prompt_id}"),
                        "the prompt finished without a video" + " output; its files: " + result.files())
                .promptId(result.promptId())
                .build());
        return download(video, target);
    }

    /** Fills {@code workflow} with {@code inputs} and {@linkplain #run(ObjectNode, Duration,
     * PromptListener) runs} it. */
    public PromptResult run(Workflow workflow, WorkflowInputs inputs, Duration timeout, PromptListener listener)
            throws ComfyUiException {
        return run(workflow.fill(inputs), timeout, listener);
    }

    /** Runs an API-format graph within the configured prompt timeout. */
    public PromptResult run(ObjectNode graph) throws ComfyUiException {
        return run(graph, promptTimeout, PromptListener.NONE);
    }

    /**
     * Queues an API-format graph and waits until it has run: opens the WebSocket first (so no
     * event is missed), queues the prompt, follows its events, and reads the result from
     * {@code /history}. If the WebSocket cannot open or drops, follows the prompt by polling
     * {@code /history}.
     *
     * @throws ComfyUiException REJECTED (with node errors) for an invalid workflow,
     *     EXECUTION_FAILED or INTERRUPTED when it fails on the server, TIMEOUT after cancelling
     */
    public PromptResult run(ObjectNode graph, Duration timeout, PromptListener listener) throws ComfyUiException {
        Objects.requireNonNull(graph, "graph");
        Objects.requireNonNull(listener, "listener");
        ClientOptions.requirePositive(timeout, "timeout");
        transport.ensureOpen(route("POST", "/prompt"));
        Deadline deadline = Deadline.after(timeout);
        String clientId = UUID.randomUUID().toString();
        ProgressSocket socket = connect(clientId, listener, deadline);
        try {
            QueuedPrompt queued = submit(graph, clientId, UUID.randomUUID().toString());
            return await(queued.promptId(), socket, deadline);
        } finally {
            if (socket != null) {
                socket.abort();
                sockets.remove(socket);
            }
        }
    }

    /** Queues an API-format graph without waiting for it. */
    public QueuedPrompt submit(ObjectNode graph) throws ComfyUiException {
        return submit(graph, UUID.randomUUID().toString(), UUID.randomUUID().toString());
    }

    private QueuedPrompt submit(ObjectNode graph, String clientId, String promptId) throws ComfyUiException {
        String route = route("POST", "/prompt");
        transport.ensureOpen(route);
        ObjectNode body = json.createObjectNode();
        body.set("prompt", graph);
        body.put("client_id", clientId);
        // Servers since 2025 take the id; older ones ignore it and answer with their own.
        body.put("prompt_id", promptId);
        HttpAnswer answer = exchange(postJson("/prompt", body, callTimeout), route, MAX_JSON_BYTES);
        if (answer.status() == 400) {
            throw rejected(route, answer);
        }
        if (answer.status() != 200) {
            throw statusError(route, answer);
        }
        JsonNode root = jsonOf(route, answer);
        if (!root.path("prompt_id").isTextual()) {
            throw ComfyUiException.of(MALFORMED_RESPONSE, server, route, "the answer has no prompt_id")
                    .build();
        }
        var queued = new QueuedPrompt(
                root.get("prompt_id").asText(), root.path("number").asDouble(), nodeErrors(root.path("node_errors")));
        if (!queued.nodeErrors().isEmpty()) {
            log.warn(
                    "ComfyUI {} queued prompt {} but dropped outputs: {}",
                    server,
                    queued.promptId(),
                    queued.nodeErrors());
        }
        log.debug("ComfyUI {} queued prompt {} as number {}", server, queued.promptId(), queued.number());
        return queued;
    }

    /**
     * Waits for a prompt queued earlier (by any client) by polling {@code /history}; on timeout
     * cancels it and fails with TIMEOUT.
     */
    public PromptResult await(String promptId, Duration timeout) throws ComfyUiException {
        Objects.requireNonNull(promptId, "promptId");
        ClientOptions.requirePositive(timeout, "timeout");
        return await(promptId, null, Deadline.after(timeout));
    }

    private PromptResult await(String promptId, ProgressSocket socket, Deadline deadline) throws ComfyUiException {
        String wsRoute = route("WS", "/ws");
        // With a live socket, /history is still read now and then in case an event was missed.
        long livePoll = pollInterval.toNanos() * 10;
        boolean announcedDrop = false;
        try {
            while (true) {
                long remaining = deadline.remainingNanos();
                if (remaining <= 0) {
                    throw timedOut(promptId, deadline.budget());
                }
                boolean live = socket != null && socket.isOpen();
                long wait = Math.min(remaining, live ? livePoll : pollInterval.toNanos());
                ProgressSocket.Signal signal = null;
                if (socket != null) {
                    signal = socket.poll(wait);
                } else {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                if (signal != null) {
                    if (signal.promptId() != null && !signal.promptId().equals(promptId)) {
                        continue;
                    }
                    switch (signal.type()) {
                        case DONE -> {
                            return historyAfterDone(promptId, deadline);
                        }
                        case ERROR -> throw executionFailed(wsRoute, promptId, signal.data());
                        case INTERRUPTED -> throw interrupted(wsRoute, promptId, signal.data());
                        case CLOSED -> {
                            if (!announcedDrop) {
                                announcedDrop = true;
                                log.info(
                                        "ComfyUI {}: the WebSocket dropped while prompt {} runs; polling"
                                                + " /history every {}",
                                        server,
                                        promptId,
                                        pollInterval);
                            }
                        }
                    }
                    continue;
                }
                Optional<PromptResult> result = pollHistory(promptId);
                if (result.isPresent()) {
                    return result.get();
                }
            }
        } catch (InterruptedException e) {
            cancel(promptId);
            Thread.currentThread().interrupt();
            throw ComfyUiException.of(CANCELLED, server, wsRoute, "interrupted while waiting")
                    .promptId(promptId)
                    .cause(e)
                    .build();
        }
    }

    /** After the socket said done: ComfyUI stores the history entry just after, so retry. */
    private PromptResult historyAfterDone(String promptId, Deadline deadline)
            throws ComfyUiException, InterruptedException {
        long pause = TimeUnit.MILLISECONDS.toNanos(20);
        while (true) {
            Optional<PromptResult> result = pollHistory(promptId);
            if (result.isPresent()) {
                return result.get();
            }
            long remaining = deadline.remainingNanos();
            if (remaining <= 0) {
                throw timedOut(promptId, deadline.budget());
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(pause, remaining));
            pause = Math.min(pause * 2, pollInterval.toNanos());
        }
    }

    /** One history read that shrugs off transient failures: the loop around it tries again. */
    private Optional<PromptResult> pollHistory(String promptId) throws ComfyUiException {
        try {
            return history(promptId);
        } catch (ComfyUiException e) {
            switch (e.kind()) {
                case CONNECT_FAILED, TIMEOUT, DISCONNECTED, SERVER_ERROR, BUSY, MALFORMED_RESPONSE -> {
                    log.debug(
                            "ComfyUI {}: reading the history of {} failed, trying again: {}",
                            server,
                            promptId,
                            e.getMessage());
                    return Optional.empty();
                }
                default -> throw e;
            }
        }
    }

    /**
     * The result of a prompt from {@code GET /history/{prompt_id}}: empty while it is queued or
     * running.
     *
     * @throws ComfyUiException EXECUTION_FAILED or INTERRUPTED when the prompt failed
     */
    public Optional<PromptResult> history(String promptId) throws ComfyUiException {
        String route = route("GET", "/history/{prompt_id}");
        transport.ensureOpen(route);
        HttpRequest request =
                request("/history/" + encode(promptId), callTimeout).GET().build();
        HttpAnswer answer = exchange(request, route, MAX_JSON_BYTES);
        if (answer.status() != 200) {
            throw statusError(route, answer);
        }
        JsonNode entry = jsonOf(route, answer).get(promptId);
        if (entry == null || !entry.isObject()) {
            return Optional.empty();
        }
        JsonNode status = entry.path("status");
        String statusText = status.path("status_str").asText("");
        for (JsonNode message : status.path("messages")) {
            String event = message.path(0).asText();
            if (event.equals("execution_error")) {
                throw executionFailed(route, promptId, message.path(1));
            }
            if (event.equals("execution_interrupted")) {
                throw interrupted(route, promptId, message.path(1));
            }
        }
        if (statusText.equals("error")) {
            throw ComfyUiException.of(EXECUTION_FAILED, server, route, "the prompt failed")
                    .promptId(promptId)
                    .build();
        }
        if (!entry.path("outputs").isObject()) {
            throw ComfyUiException.of(MALFORMED_RESPONSE, server, route, "the history entry has no outputs")
                    .promptId(promptId)
                    .build();
        }
        var files = new ArrayList<OutputFile>();
        for (Map.Entry<String, JsonNode> node : entry.get("outputs").properties()) {
            // core save nodes flag their "images" as animated, one flag per file or one for all
            JsonNode animated = node.getValue().path("animated");
            for (Map.Entry<String, JsonNode> list : node.getValue().properties()) {
                if (!list.getValue().isArray()) {
                    continue;
                }
                int index = 0;
                for (JsonNode item : list.getValue()) {
                    if (item.path("filename").isTextual()) {
                        boolean flagged = list.getKey().equals("images")
                                && animated.isArray()
                                && animated.path(animated.size() == 1 ? 0 : index)
                                        .asBoolean(false);
                        files.add(new OutputFile(
                                node.getKey(),
                                list.getKey(),
                                item.get("filename").asText(),
                                item.path("subfolder").asText(""),
                                item.path("type").asText("output"),
                                item.path("format").asText(""),
                                flagged));
                    }
                    index++;
                }
            }
        }
        return Optional.of(new PromptResult(promptId, statusText, files));
    }

    /**
     * Downloads an output file with {@code GET /view} to {@code target}, through a temporary file
     * in the same directory and an atomic move. The server's names only address {@code /view};
     * names that could reach outside the server's folders are refused.
     *
     * @throws ComfyUiException UNSAFE_OUTPUT for such names, TOO_LARGE past the download limit
     */
    public Path download(OutputFile file, Path target) throws ComfyUiException {
        String route = route("GET", "/view");
        transport.ensureOpen(route);
        requireSafe(file, route);
        Path absolute = target.toAbsolutePath().normalize();
        Path directory = absolute.getParent();
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw ComfyUiException.of(LOCAL_IO, server, route, "cannot create " + directory)
                    .cause(e)
                    .build();
        }
        HttpRequest request = request(
                        "/view?filename=" + encode(file.filename()) + "&subfolder=" + encode(file.subfolder())
                                + "&type=" + encode(file.type()),
                        transferTimeout)
                .GET()
                .build();
        Deadline deadline = Deadline.after(transferTimeout);
        HttpResponse<InputStream> response = transport.send(request, route);
        Path temporary = null;
        try (InputStream raw = response.body();
                Guard guard = transport.guard(raw, deadline);
                InputStream body = transport.decoded(response, route)) {
            if (response.statusCode() != 200) {
                throw statusError(route, HttpTransport.head(response, 64 * 1024));
            }
            long declared = HttpTransport.encoded(response)
                    ? -1
                    : response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > maxDownloadBytes) {
                throw ComfyUiException.of(
                                TOO_LARGE,
                                server,
                                route,
                                file.filename() + " is " + declared + " bytes, over the limit of " + maxDownloadBytes)
                        .build();
            }
            try {
                temporary = LocalFiles.temporaryNextTo(absolute);
            } catch (IOException e) {
                throw ComfyUiException.of(LOCAL_IO, server, route, "cannot create a file in " + directory)
                        .cause(e)
                        .build();
            }
            long total = transport.copy(body, temporary, maxDownloadBytes, guard, transferTimeout, route);
            if (total == 0) {
                throw ComfyUiException.of(MALFORMED_RESPONSE, server, route, file.filename() + " is empty")
                        .build();
            }
            try {
                LocalFiles.moveReplacing(temporary, absolute);
            } catch (IOException e) {
                throw ComfyUiException.of(LOCAL_IO, server, route, "cannot move the file to " + absolute)
                        .cause(e)
                        .build();
            }
            temporary = null;
            log.debug("ComfyUI {}: downloaded {} ({} bytes) to {}", server, file.filename(), total, absolute);
            return absolute;
        } catch (ComfyUiException e) {
            throw e;
        } catch (IOException e) {
            throw ComfyUiException.of(DISCONNECTED, server, route, "the download failed: " + e)
                    .cause(e)
                    .build();
        } finally {
            if (temporary != null) {
                LocalFiles.deleteQuietly(temporary);
            }
        }
    }

    private void requireSafe(OutputFile file, String route) throws ComfyUiException {
        String name = file.filename();
        boolean safeName = !name.isEmpty()
                && !name.equals(".")
                && !name.contains("..")
                && name.chars().noneMatch(c -> c == '/' || c == '\\' || c < 32);
        String subfolder = file.subfolder();
        boolean safeFolder = !subfolder.startsWith("/")
                && !subfolder.startsWith("\\")
                && subfolder.chars().noneMatch(c -> c < 32)
                && List.of(subfolder.split("[/\\\\]")).stream().noneMatch(".."::equals)
                && !subfolder.matches("^[A-Za-z]:.*");
        if (!safeName || !safeFolder || !DIRECTORY_TYPES.contains(file.type())) {
            throw ComfyUiException.of(
                            UNSAFE_OUTPUT,
                            server,
                            route,
                            "refusing output file name \"" + name + "\" in subfolder \"" + subfolder + "\" of type \""
                                    + file.type() + "\"")
                    .build();
        }
    }

    /**
     * Uploads a local file (an input video for vid2vid or upscaling) to the server's input folder
     * with {@code POST /upload/image}, which takes any file type. Put the answer's {@link
     * UploadedFile#workflowValue()} into the workflow ({@link WorkflowInputs.Builder#inputVideo}).
     *
     * @param subfolder folder under the input directory, empty for none
     * @param overwrite replace a file of the same name; otherwise ComfyUI picks a new name
     */
    public UploadedFile upload(Path file, String subfolder, boolean overwrite) throws ComfyUiException {
        String route = route("POST", "/upload/image");
        transport.ensureOpen(route);
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException("not a readable file: " + file);
        }
        if (subfolder.contains("..") || subfolder.startsWith("/") || subfolder.contains("\\")) {
            throw new IllegalArgumentException("subfolder must be a plain relative path: " + subfolder);
        }
        var multipart = new Multipart();
        try {
            multipart.file("image", file, mediaType(file));
        } catch (IOException e) {
            throw ComfyUiException.of(LOCAL_IO, server, route, "cannot read " + file)
                    .cause(e)
                    .build();
        }
        multipart.field("type", "input").field("subfolder", subfolder).field("overwrite", Boolean.toString(overwrite));
        HttpRequest request = request("/upload/image", transferTimeout)
                .header("Content-Type", multipart.contentType())
                .POST(multipart.publisher())
                .build();
        HttpAnswer answer = exchange(request, route, 64 * 1024);
        if (answer.status() != 200) {
            throw statusError(route, answer);
        }
        JsonNode root = jsonOf(route, answer);
        if (!root.path("name").isTextual() || root.get("name").asText().isEmpty()) {
            throw ComfyUiException.of(MALFORMED_RESPONSE, server, route, "the answer has no name")
                    .build();
        }
        return new UploadedFile(
                root.get("name").asText(),
                root.path("subfolder").asText(""),
                root.path("type").asText("input"));
    }

    /**
     * Best effort, never throws: deletes the prompt from the queue and, when it is the one
     * running, interrupts it. The interrupt names the prompt, and is only sent after {@code GET
     * /queue} shows it running, so a server that ignores the name (older ComfyUI interrupts
     * whatever runs) does not lose someone else's work.
     */
    public void cancel(String promptId) {
        if (transport.isClosed()) {
            return;
        }
        try {
            ObjectNode delete = json.createObjectNode();
            delete.putArray("delete").add(promptId);
            exchange(postJson("/queue", delete, callTimeout), route("POST", "/queue"), 64 * 1024);
            String queueRoute = route("GET", "/queue");
            HttpAnswer queue = exchange(request("/queue", callTimeout).GET().build(), queueRoute, MAX_JSON_BYTES);
            boolean running = false;
            for (JsonNode item : jsonOf(queueRoute, queue).path("queue_running")) {
                running |= promptId.equals(item.path(1).asText());
            }
            if (running) {
                ObjectNode interrupt = json.createObjectNode().put("prompt_id", promptId);
                exchange(postJson("/interrupt", interrupt, callTimeout), route("POST", "/interrupt"), 64 * 1024);
            }
            log.info(
                    "ComfyUI {}: cancelled prompt {}{}",
                    server,
                    promptId,
                    running ? " (interrupted while running)" : "");
        } catch (ComfyUiException e) {
            log.warn("ComfyUI {}: cancelling prompt {} failed: {}", server, promptId, e.getMessage());
        }
    }

    private ComfyUiException timedOut(String promptId, Duration timeout) {
        cancel(promptId);
        return ComfyUiException.of(
                        TIMEOUT,
                        server,
                        route("POST", "/prompt"),
                        "the prompt did not" + " finish within " + timeout + "; it was cancelled")
                .promptId(promptId)
                .build();
    }

    private ComfyUiException executionFailed(String route, String promptId, JsonNode data) {
        String node = data.path("node_id").asText(null);
        String type = data.path("exception_type").asText("");
        String message = data.path("exception_message").asText("").strip();
        boolean outOfMemory =
                (type + message).toLowerCase(Locale.ROOT).contains("out of memory") || type.contains("OutOfMemory");
        return ComfyUiException.of(
                        EXECUTION_FAILED,
                        server,
                        route,
                        "node " + node + " ("
                                + data.path("node_type").asText("?") + ") failed: "
                                + (type.isEmpty() ? "" : type + ": ")
                                + message)
                .promptId(promptId)
                .nodeId(node)
                .retryable(outOfMemory)
                .build();
    }

    private ComfyUiException interrupted(String route, String promptId, JsonNode data) {
        String node = data.path("node_id").asText(null);
        return ComfyUiException.of(
                        INTERRUPTED,
                        server,
                        route,
                        "the prompt was interrupted" + (node == null ? "" : " at node " + node))
                .promptId(promptId)
                .nodeId(node)
                .build();
    }

    private ComfyUiException rejected(String route, HttpAnswer answer) {
        String message;
        List<NodeError> errors = List.of();
        try {
            JsonNode root = json.readTree(answer.body());
            JsonNode error = root.path("error");
            if (error.isTextual()) {
                message = error.asText();
            } else {
                message = error.path("message").asText("the workflow was rejected");
                String details = error.path("details").asText("");
                if (!details.isEmpty()) {
                    message += ": " + details;
                }
                if (error.path("type").isTextual()) {
                    message = error.get("type").asText() + ": " + message;
                }
            }
            errors = nodeErrors(root.path("node_errors"));
        } catch (IOException | RuntimeException e) {
            message = "the workflow was rejected: " + text(answer.body());
        }
        return ComfyUiException.of(REJECTED, server, route, message)
                .status(400)
                .nodeErrors(errors)
                .build();
    }

    private static List<NodeError> nodeErrors(JsonNode nodeErrors) {
        var errors = new ArrayList<NodeError>();
        for (Map.Entry<String, JsonNode> node : nodeErrors.properties()) {
            var messages = new ArrayList<String>();
            for (JsonNode error : node.getValue().path("errors")) {
                String details = error.path("details").asText("");
                messages.add(error.path("message").asText("error") + (details.isEmpty() ? "" : ": " + details));
            }
            errors.add(new NodeError(
                    node.getKey(), node.getValue().path("class_type").asText("?"), messages));
        }
        return errors;
    }

    private ComfyUiException statusError(String route, HttpAnswer answer) {
        int status = answer.status();
        ComfyUiException.Kind kind = ComfyUiException.Kind.of(HttpFailure.ofStatus(status));
        String body = text(answer.body());
        return ComfyUiException.of(
                        kind, server, route, body.isEmpty() ? "unexpected status" : "unexpected status: " + body)
                .status(status)
                .retryAfter(RetryAfter.of(status, answer.headers(), InstantSource.system())
                        .orElse(null))
                .build();
    }

    /** Sends a request and reads its whole (bounded) answer within the request's timeout. */
    private HttpAnswer exchange(HttpRequest request, String route, int maxBytes) throws ComfyUiException {
        return transport.exchange(
                request, route, maxBytes, Deadline.after(request.timeout().orElse(callTimeout)));
    }

    private JsonNode jsonOf(String route, HttpAnswer answer) throws ComfyUiException {
        try {
            JsonNode node = json.readTree(answer.body());
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (IOException e) {
            throw ComfyUiException.of(
                            MALFORMED_RESPONSE, server, route, "the answer is not valid JSON: " + text(answer.body()))
                    .status(answer.status())
                    .cause(e)
                    .build();
        }
        throw ComfyUiException.of(
                        MALFORMED_RESPONSE,
                        server,
                        route,
                        "the answer is not a JSON" + " object: " + text(answer.body()))
                .status(answer.status())
                .build();
    }

    private ProgressSocket connect(String clientId, PromptListener listener, Deadline deadline)
            throws ComfyUiException {
        var socket = new ProgressSocket(listener);
        String wsBase = base().replaceFirst("^http", "ws");
        URI uri = URI.create(wsBase + "/ws?clientId=" + encode(clientId));
        WebSocket.Builder builder = transport.client().newWebSocketBuilder().connectTimeout(callTimeout);
        headers.forEach(builder::header);
        CompletableFuture<WebSocket> opening = builder.buildAsync(uri, socket);
        long wait = Math.min(callTimeout.toNanos(), Math.max(0, deadline.remainingNanos()));
        try {
            opening.get(wait, TimeUnit.NANOSECONDS);
            sockets.add(socket);
            return socket;
        } catch (ExecutionException | TimeoutException e) {
            opening.thenAccept(WebSocket::abort);
            log.warn(
                    "ComfyUI {}: cannot open the WebSocket ({}); following the prompt by polling" + " /history",
                    server,
                    String.valueOf(e.getCause() == null ? e : e.getCause()));
            return null;
        } catch (InterruptedException e) {
            opening.thenAccept(WebSocket::abort);
            Thread.currentThread().interrupt();
            throw ComfyUiException.of(CANCELLED, server, route("WS", "/ws"), "interrupted")
                    .cause(e)
                    .build();
        }
    }

    private HttpRequest postJson(String path, JsonNode body, Duration timeout) {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serialise the request body", e);
        }
        return request(path, timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build();
    }

    private HttpRequest.Builder request(String pathAndQuery, Duration timeout) {
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(URI.create(base() + pathAndQuery)).timeout(timeout);
        headers.forEach(builder::header);
        return builder;
    }

    /**
     * How a route is named in messages: with {@code /api} when that was configured, else bare (a
     * detected prefix is the same route, and naming it so keeps messages alike across servers).
     */
    private String route(String method, String path) {
        return method + " " + (Boolean.TRUE.equals(apiRoutes) ? "/api" : "") + path;
    }

    /** The server's address with the route prefix in use. */
    private String base() {
        return root + prefix();
    }

    /**
     * The route prefix: {@code /api} when configured so, or (by default) when the server answers
     * {@code GET /api/system_stats} (ComfyUI serves every route there too, and some front proxies
     * only those); else none. Asked once; a server that cannot be reached is asked again next time.
     */
    private String prefix() {
        String known = prefix;
        if (known != null) {
            return known;
        }
        synchronized (this) {
            if (prefix != null) {
                return prefix;
            }
            String route = "GET /api/system_stats";
            HttpRequest.Builder probe = HttpRequest.newBuilder(URI.create(root + "/api/system_stats"))
                    .timeout(callTimeout);
            headers.forEach(probe::header);
            try {
                HttpAnswer answer =
                        transport.exchange(probe.GET().build(), route, 1 << 20, Deadline.after(callTimeout));
                JsonNode stats = answer.status() == 200 ? json.readTree(answer.body()) : null;
                prefix = stats != null && stats.isObject() ? "/api" : "";
                log.debug("ComfyUI {}: using the routes under '{}'", server, prefix);
                return prefix;
            } catch (IOException e) {
                // unreachable now: bare routes for this call, asked again at the next
                return "";
            }
        }
    }

    private static String mediaType(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".mp4") || name.endsWith(".m4v")) {
            return "video/mp4";
        }
        if (name.endsWith(".webm")) {
            return "video/webm";
        }
        if (name.endsWith(".png")) {
            return "image/png";
        }
        if (name.endsWith(".jpg") || name.endsWith(".jpeg")) {
            return "image/jpeg";
        }
        return "application/octet-stream";
    }

    private static String text(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Aborts calls and WebSockets in flight (waiting calls fail with CANCELLED or DISCONNECTED)
     * and releases connections and the watchdog thread. Queued prompts are left on the server.
     * Idempotent.
     */
    @Override
    public void close() {
        if (!transport.isClosed()) {
            sockets.forEach(ProgressSocket::abort);
            sockets.clear();
        }
        transport.close();
    }

    /**
     * Configures a {@link ComfyUiClient}; {@link ClientBuilder} has the settings every client
     * shares (its headers also go on the WebSocket handshake). Not thread-safe.
     */
    public static final class Builder extends ClientBuilder<Builder> {
        private Boolean apiRoutes;
        private Duration promptTimeout = Duration.ofMinutes(30);
        private Duration transferTimeout = Duration.ofMinutes(10);
        private Duration pollInterval = Duration.ofSeconds(1);
        private long maxDownloadBytes = 1024L * 1024 * 1024;

        private Builder(URI baseUri) {
            super(baseUri);
        }

        /**
         * Uses the {@code /api/...} routes (as the ComfyUI frontend does), or the bare ones; by
         * default the {@code /api} routes when the server has them.
         */
        public Builder useApiPrefix(boolean value) {
            apiRoutes = value;
            return this;
        }

        /** Default time allowed for a prompt to run, queueing included (default 30 min). */
        public Builder promptTimeout(Duration value) {
            ClientOptions.requirePositive(value, "prompt timeout");
            promptTimeout = value;
            return this;
        }

        /** Time allowed for one upload or download (default 10 min). */
        public Builder transferTimeout(Duration value) {
            ClientOptions.requirePositive(value, "transfer timeout");
            transferTimeout = value;
            return this;
        }

        /** How often {@code /history} is polled without a live WebSocket (default 1 s). */
        public Builder pollInterval(Duration value) {
            ClientOptions.requirePositive(value, "poll interval");
            pollInterval = value;
            return this;
        }

        /** Largest file {@link #download} accepts (default 1 GiB). */
        public Builder maxDownloadBytes(long value) {
            if (value < 1) {
                throw new IllegalArgumentException("max download bytes must be positive, was " + value);
            }
            maxDownloadBytes = value;
            return this;
        }

        public ComfyUiClient build() {
            return new ComfyUiClient(this);
        }
    }
}
