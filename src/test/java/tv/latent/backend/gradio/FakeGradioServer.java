package tv.latent.backend.gradio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Gradio app and a Hugging Face hub on 127.0.0.1, speaking the real protocols (written from
 * PROTOCOLS.md), for tests of anything that talks to Gradio. It serves {@code /config},
 * {@code /info}, the two-step {@code /call}, the queue ({@code /queue/join}, {@code /queue/data})
 * in each protocol version, {@code /run} (3.x and unqueued functions), {@code /upload},
 * {@code /file=} (with Range), {@code /cancel}, {@code /login}; and the hub's
 * {@code /api/spaces/{id}} and {@code /api/spaces/{id}/host}. On demand it misbehaves: see
 * {@link Fault} and {@link #delay(Duration)}.
 *
 * <pre>{@code
 * try (FakeGradioServer fake = FakeGradioServer.builder()
 *         .flavor(FakeGradioServer.Flavor.GRADIO_5)
 *         .space("hysts/zeroscope-v2")
 *         .endpoint(FakeEndpoint.named("/run")
 *             .parameter("prompt", "str", "Textbox")
 *             .returns("Result", "Video")
 *             .handler(call -> List.of(call.video("out.mp4", mp4Bytes))))
 *         .start();
 *     GradioClient client = GradioClient.builder("hysts/zeroscope-v2").hub(fake.hub()).connect()) {
 *   ...
 * }
 * }</pre>
 *
 * <p>Thread-safety: safe; faults and delay may be changed while requests run.
 */
public final class FakeGradioServer implements AutoCloseable {

    /** Which Gradio the fake pretends to be. */
    public enum Flavor {
        /** 3.x: no protocol field, {@code /run/{name}} answers, 3.x file form, no ids in the config. */
        GRADIO_3("3.50.2", null, ""),
        /** 4.0: protocol "sse". */
        GRADIO_4_0("4.0.2", "sse", ""),
        /** 4.1x: protocol "sse_v1". */
        GRADIO_4_SSE_V1("4.16.0", "sse_v1", ""),
        /** 4.20: protocol "sse_v2" (diffs), the two-step {@code /call} API. */
        GRADIO_4_SSE_V2("4.20.0", "sse_v2", ""),
        /** 4.44: protocol "sse_v3" (close_stream). */
        GRADIO_4_SSE_V3("4.44.1", "sse_v3", ""),
        /** 5.x: protocol "sse_v3", api_prefix "/gradio_api", {@code error} events carry null. */
        GRADIO_5("5.49.1", "sse_v3", "/gradio_api");

        final String version;
        final String protocol;
        final String prefix;

        Flavor(String version, String protocol, String prefix) {
            this.version = version;
            this.protocol = protocol;
            this.prefix = prefix;
        }

        boolean diffs() {
            return "sse_v2".equals(protocol) || "sse_v3".equals(protocol);
        }

        boolean hasSimpleCall() {
            return diffs();
        }
    }

    /** Ways to misbehave, switched on with {@link #fault(Fault)}. */
    public enum Fault {
        /** Event streams end after the first progress message, without a result. */
        DISCONNECT_MID_STREAM,
        /** Event streams send only heartbeats (every 50 ms) until the client gives up. */
        HEARTBEATS_FOREVER,
        /** Submitting ({@code /queue/join}, {@code /call}) answers 503 (4.0: a queue_full message). */
        QUEUE_FULL,
        /** Submitting answers 500 with a plain-text body. */
        SERVER_ERROR,
        /** Submitting answers 422, as FastAPI does for a body it cannot validate. */
        REJECT_INPUT,
        /** Event streams carry a data line that is not JSON. */
        MALFORMED_JSON,
        /** {@code /config} and event streams answer text/html. */
        WRONG_CONTENT_TYPE,
        /** The queue sends unexpected_error instead of running the function. */
        UNEXPECTED_ERROR,
        /** Files made by handlers get a path and name with {@code ../}. */
        TRAVERSAL_FILE_NAME,
        /** {@code /file=} streams zeros forever, without Content-Length. */
        ENDLESS_DOWNLOAD,
        /** {@code /file=} announces 10 GB and streams zeros. */
        HUGE_CONTENT_LENGTH,
        /** The first {@code /file=} answer breaks off halfway; Range requests then work. */
        TRUNCATE_DOWNLOAD_ONCE,
        /** {@code /file=} redirects (302) to another path on the same server. */
        REDIRECT_FILES,
        /** {@code /file=} redirects to a {@code file://} URL. */
        REDIRECT_TO_FILE_SCHEME,
        /** Event streams send one {@code data:} line that never ends. */
        ENDLESS_DATA_LINE,
        /** Event streams send short {@code data:} lines forever, never the blank line that ends the event. */
        ENDLESS_DATA_EVENT,
        /** Submitting answers 429 with {@code Retry-After: 7}. */
        RATE_LIMITED,
        /** {@code /config} answers a small gzip body that inflates to 80 MB (a compression bomb). */
        GZIP_BOMB_CONFIG
    }

    /** A request the fake received; header names in lower case. */
    public record Request(String method, String path, Map<String, String> headers, String body) {}

    /** Thrown by a handler to make the call fail with this message (as {@code gr.Error}). */
    public static final class AppError extends RuntimeException {
        public AppError(String message) {
            super(message);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

    private final Builder config;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Set<Fault> faults = ConcurrentHashMap.newKeySet();
    private volatile Duration delay = Duration.ZERO;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<JsonNode> cancels = new CopyOnWriteArrayList<>();
    private final Map<String, StoredFile> files = new ConcurrentHashMap<>();
    private final Map<String, Event> events = new ConcurrentHashMap<>();
    private final Map<String, Queue<Event>> sessions = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> statePolls = new ConcurrentHashMap<>();
    private final Set<String> sessionCookies = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean truncatedOnce = new AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicLong streamedBytes = new java.util.concurrent.atomic.AtomicLong();
    private volatile URI filesRedirectedTo;
    private final Map<Integer, FakeEndpoint> byIndex = new LinkedHashMap<>();

    private record StoredFile(byte[] content, String mime) {}

    private static final class Event {
        final String id = UUID.randomUUID().toString().replace("-", "");
        final FakeEndpoint endpoint;
        final ArrayNode inputs;
        final String session;
        final CompletableFuture<ArrayNode> lateData = new CompletableFuture<>();
        volatile boolean cancelled;

        Event(FakeEndpoint endpoint, ArrayNode inputs, String session) {
            this.endpoint = endpoint;
            this.inputs = inputs;
            this.session = session;
        }
    }

    private FakeGradioServer(Builder config) throws IOException {
        this.config = config;
        int next = 0;
        for (FakeEndpoint e : config.endpoints) {
            if (e.fnIndex >= 0) {
                byIndex.put(e.fnIndex, e);
            }
        }
        for (FakeEndpoint e : config.endpoints) {
            if (e.fnIndex < 0) {
                while (byIndex.containsKey(next)) {
                    next++;
                }
                byIndex.put(next, e);
            }
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts configuring a fake. */
    public static Builder builder() {
        return new Builder();
    }

    /** The app's root URL (also the hub's: both live on this server). */
    public URI root() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The hub URL to give {@link GradioClient.Builder#hub}. */
    public URI hub() {
        return root();
    }

    /** Switches a fault on. */
    public FakeGradioServer fault(Fault fault) {
        faults.add(fault);
        return this;
    }

    /** Switches all faults off. */
    public FakeGradioServer clearFaults() {
        faults.clear();
        return this;
    }

    /** Delays every app (not hub) answer by this much. */
    public FakeGradioServer delay(Duration d) {
        delay = d;
        return this;
    }

    /** Bytes written on event streams so far (what a client had to read, or refused to). */
    public long streamedBytes() {
        return streamedBytes.get();
    }

    /** {@code /file=} answers 302 to {@code base} + the file's path from now on (null: serve files again). */
    public FakeGradioServer redirectFilesTo(URI base) {
        filesRedirectedTo = base;
        return this;
    }

    /** Every request received so far. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The bodies of the {@code /cancel} requests received so far. */
    public List<JsonNode> cancels() {
        return List.copyOf(cancels);
    }

    /** The content of a file the fake stores (uploaded or made by a handler), or null. */
    public byte[] storedFile(String serverPath) {
        StoredFile f = files.get(serverPath);
        return f == null ? null : f.content().clone();
    }

    /** Stores a file the app can serve, as if a function had made it; returns its server path. */
    public String addFile(String name, byte[] content, String mime) {
        String path = "/tmp/gradio/" + UUID.randomUUID().toString().substring(0, 8) + "/" + name;
        files.put(path, new StoredFile(content.clone(), mime));
        return path;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            events.values().forEach(e -> e.cancelled = true);
            server.stop(0);
            executor.shutdownNow();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Configures a fake. Thread-safety: one thread. */
    public static final class Builder {
        private Flavor flavor = Flavor.GRADIO_5;
        private final List<FakeEndpoint> endpoints = new ArrayList<>();
        private final Map<String, String> spaceStages = new ConcurrentHashMap<>();
        private final Map<String, Integer> sleepPolls = new ConcurrentHashMap<>();
        private String user;
        private String password;
        private String token;
        private Duration heartbeat = Duration.ofMillis(100);

        private Builder() {}

        /** Which Gradio to pretend to be (default 5.x). */
        public Builder flavor(Flavor f) {
            flavor = f;
            return this;
        }

        /** Adds a function. */
        public Builder endpoint(FakeEndpoint e) {
            endpoints.add(e);
            return this;
        }

        /** A running Space on the fake hub, hosted by this server. */
        public Builder space(String id) {
            spaceStages.put(id, "RUNNING");
            return this;
        }

        /** A sleeping Space that reports RUNNING after {@code polls} stage requests. */
        public Builder sleepingSpace(String id, int polls) {
            spaceStages.put(id, "SLEEPING");
            sleepPolls.put(id, polls);
            return this;
        }

        /** A Space stuck in a stage (PAUSED, RUNTIME_ERROR, BUILDING...). */
        public Builder spaceInStage(String id, String stage) {
            spaceStages.put(id, stage);
            return this;
        }

        /** The app demands a login ({@code auth=(user, password)}). */
        public Builder login(String u, String p) {
            user = u;
            password = p;
            return this;
        }

        /** Every hub and app request must carry {@code Authorization: Bearer token}. */
        public Builder requireToken(String t) {
            token = t;
            return this;
        }

        /** How often heartbeats go out while a handler sleeps (default 100 ms). */
        public Builder heartbeat(Duration interval) {
            heartbeat = interval;
            return this;
        }

        public FakeGradioServer start() {
            try {
                return new FakeGradioServer(this);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * One running call, as a handler sees it: its inputs, and ways to report progress, stream
     * outputs and make files.
     */
    public final class Call {
        private final Event event;
        private final Sink sink;
        private ArrayNode lastStreamed;

        private Call(Event event, Sink sink) {
            this.event = event;
            this.sink = sink;
        }

        /** The inputs as sent. */
        public List<JsonNode> inputs() {
            List<JsonNode> list = new ArrayList<>();
            event.inputs.forEach(list::add);
            return list;
        }

        /** Input {@code i}. */
        public JsonNode input(int i) {
            return event.inputs.path(i);
        }

        /** The content of a file input ({@code {path}}, {@code {video: {path}}} or 3.x {@code {name}}). */
        public byte[] inputFile(int i) {
            JsonNode v = input(i);
            JsonNode file = v.has("video") ? v.get("video") : v;
            String path = file.hasNonNull("path")
                    ? file.get("path").asText()
                    : file.path("name").asText(null);
            StoredFile stored = path == null ? null : files.get(path);
            if (stored == null) {
                throw new AppError("no such uploaded file: " + path);
            }
            return stored.content();
        }

        /** Reports one progress bar ({@code gr.Progress}). */
        public void progress(long index, long length, String unit, String desc) throws IOException {
            ObjectNode step = NODES.objectNode();
            step.put("index", index);
            step.put("length", length);
            step.put("unit", unit);
            step.putNull("progress");
            step.put("desc", desc);
            sink.progress(NODES.arrayNode().add(step));
        }

        /** Sends a log line ({@code gr.Info}). */
        public void log(String level, String message) throws IOException {
            sink.log(level, message);
        }

        /** Streams an intermediate output (a generator's yield). */
        public void yieldOutput(List<Object> outputs) throws IOException {
            ArrayNode data = JSON.valueToTree(outputs);
            sink.generating(lastStreamed, data);
            lastStreamed = data;
        }

        /** Sleeps, sending heartbeats; stops early with an exception when the call is cancelled. */
        public void sleep(Duration d) throws IOException, InterruptedException {
            long end = System.nanoTime() + d.toNanos();
            while (System.nanoTime() < end) {
                if (event.cancelled || closed.get()) {
                    throw new InterruptedException("cancelled");
                }
                Thread.sleep(Math.min(config.heartbeat.toMillis(), Math.max(1, (end - System.nanoTime()) / 1_000_000)));
                sink.heartbeat();
            }
        }

        /** Whether the client cancelled the call. */
        public boolean cancelled() {
            return event.cancelled;
        }

        /** Makes a file the app serves and returns its output value (FileData, or the 3.x form). */
        public Map<String, Object> file(String origName, byte[] content, String mime) {
            String name = faults.contains(Fault.TRAVERSAL_FILE_NAME) ? "../../../../escape/" + origName : origName;
            String path = faults.contains(Fault.TRAVERSAL_FILE_NAME)
                    ? "/tmp/gradio/x/../../../etc/" + origName
                    : addFile(origName, content, mime);
            files.put(path, new StoredFile(content.clone(), mime));
            Map<String, Object> value = new LinkedHashMap<>();
            if (config.flavor == Flavor.GRADIO_3) {
                value.put("name", path);
                value.put("data", null);
                value.put("is_file", true);
                value.put("orig_name", name);
                return value;
            }
            value.put("path", path);
            value.put("url", root() + config.flavor.prefix + "/file=" + path);
            value.put("size", content.length);
            value.put("orig_name", name);
            value.put("mime_type", mime);
            value.put("is_stream", false);
            value.put("meta", Map.of("_type", "gradio.FileData"));
            return value;
        }

        /** Makes a video the app serves and returns a Video output value. */
        public Object video(String origName, byte[] content) {
            Map<String, Object> file = file(origName, content, "video/mp4");
            if (config.flavor == Flavor.GRADIO_3) {
                return java.util.Arrays.asList(file, null);
            }
            Map<String, Object> video = new LinkedHashMap<>();
            video.put("video", file);
            video.put("subtitles", null);
            return video;
        }
    }

    // ---- plumbing ---------------------------------------------------------------------------

    private interface Sink {
        void progress(ArrayNode steps) throws IOException;

        void log(String level, String message) throws IOException;

        void generating(ArrayNode previous, ArrayNode data) throws IOException;

        void heartbeat() throws IOException;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readNBytes(64 << 20);
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
            requests.add(new Request(
                    exchange.getRequestMethod(),
                    path + (query == null ? "" : "?" + query),
                    headers,
                    new String(body, 0, Math.min(body.length, 4096), StandardCharsets.UTF_8)));
            if (config.token != null && !("Bearer " + config.token).equals(headers.get("authorization"))) {
                json(exchange, 401, Map.of("error", "Invalid credentials in Authorization header"));
                return;
            }
            if (path.startsWith("/api/spaces/")) {
                hub(exchange, path.substring("/api/spaces/".length()));
                return;
            }
            if (!delay.isZero()) {
                Thread.sleep(delay.toMillis());
            }
            route(exchange, path, query, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | UncheckedIOException e) {
            // the client went away; nothing to answer
        }
    }

    private void route(HttpExchange ex, String path, String query, byte[] body)
            throws IOException, InterruptedException {
        String method = ex.getRequestMethod();
        String prefix = config.flavor.prefix;
        if (path.equals("/login") && method.equals("POST")) {
            login(ex, new String(body, StandardCharsets.UTF_8));
            return;
        }
        if (config.user != null && !loggedIn(ex)) {
            json(ex, 401, Map.of("detail", "Not authenticated"));
            return;
        }
        if (path.equals("/") || path.isEmpty()) {
            text(ex, 200, "text/html", "<html>fake gradio</html>");
        } else if (path.equals("/config") || path.equals("/config/")) {
            if (faults.contains(Fault.GZIP_BOMB_CONFIG)) {
                gzipBomb(ex);
            } else if (faults.contains(Fault.WRONG_CONTENT_TYPE)) {
                text(ex, 200, "text/html", "<html><body>Space is building</body></html>");
            } else {
                json(ex, 200, configJson());
            }
        } else if (path.equals(prefix + "/info")) {
            ObjectNode info = NODES.objectNode();
            ObjectNode named = info.putObject("named_endpoints");
            ObjectNode unnamed = info.putObject("unnamed_endpoints");
            byIndex.forEach((i, e) -> (e.apiName != null ? named : unnamed)
                    .set(e.apiName != null ? "/" + e.apiName : String.valueOf(i), e.describe()));
            json(ex, 200, info);
        } else if (path.equals(prefix + "/upload") && method.equals("POST")) {
            upload(ex, body);
        } else if (path.startsWith(prefix + "/file=") || path.startsWith("/moved/file=")) {
            file(ex, URLDecoder.decode(path.substring(path.indexOf("/file=") + 6), StandardCharsets.UTF_8));
        } else if (path.equals(prefix + "/cancel") && method.equals("POST")) {
            JsonNode cancel = JSON.readTree(body);
            cancels.add(cancel);
            Event e = events.get(cancel.path("event_id").asText());
            if (e != null) {
                e.cancelled = true;
            }
            json(ex, 200, Map.of("success", true));
        } else if (path.startsWith(prefix + "/run/") && method.equals("POST")) {
            run(ex, path.substring((prefix + "/run/").length()), JSON.readTree(body));
        } else if (path.startsWith(prefix + "/call/") && config.flavor.hasSimpleCall()) {
            String rest = path.substring((prefix + "/call/").length());
            if (method.equals("POST")) {
                callSubmit(ex, rest, body);
            } else {
                callStream(ex, rest);
            }
        } else if (path.equals(prefix + "/queue/join") && method.equals("POST") && config.flavor != Flavor.GRADIO_4_0) {
            queueJoin(ex, body);
        } else if (path.equals(prefix + "/queue/data") && method.equals("GET") && config.flavor != Flavor.GRADIO_4_0) {
            queueData(ex, param(query, "session_hash"));
        } else if (path.equals("/queue/join") && method.equals("GET") && config.flavor == Flavor.GRADIO_4_0) {
            queueJoin40(ex, query);
        } else if (path.equals("/queue/data") && method.equals("POST") && config.flavor == Flavor.GRADIO_4_0) {
            JsonNode data = JSON.readTree(body);
            Event e = events.get(data.path("event_id").asText());
            if (e == null) {
                json(ex, 404, Map.of("detail", "Event not found"));
                return;
            }
            e.lateData.complete((ArrayNode) data.path("data"));
            json(ex, 200, Map.of("success", true));
        } else {
            json(ex, 404, Map.of("detail", "Not Found"));
        }
    }

    private void hub(HttpExchange ex, String rest) throws IOException {
        boolean host = rest.endsWith("/host");
        String id = host ? rest.substring(0, rest.length() - "/host".length()) : rest;
        String stage = config.spaceStages.get(id);
        if (stage == null) {
            json(ex, 404, Map.of("error", "Repository not found"));
            return;
        }
        if (host) {
            json(ex, 200, Map.of("subdomain", id.replace('/', '-'), "host", root().toString()));
            return;
        }
        if (stage.equals("SLEEPING")) {
            int polls = statePolls.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            if (polls > config.sleepPolls.getOrDefault(id, 0)) {
                stage = "RUNNING";
            }
        }
        json(ex, 200, Map.of("id", id, "runtime", Map.of("stage", stage, "hardware", Map.of("current", "cpu-basic"))));
    }

    private void login(HttpExchange ex, String form) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : form.split("&")) {
            String[] kv = pair.split("=", 2);
            fields.put(
                    URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        if (config.user != null
                && config.user.equals(fields.get("username"))
                && config.password.equals(fields.get("password"))) {
            String cookie = UUID.randomUUID().toString();
            sessionCookies.add(cookie);
            ex.getResponseHeaders().add("Set-Cookie", "access-token=" + cookie + "; HttpOnly; Path=/; SameSite=none");
            json(ex, 200, Map.of("success", true));
        } else {
            json(ex, 400, Map.of("detail", "Incorrect credentials."));
        }
    }

    private boolean loggedIn(HttpExchange ex) {
        String cookies = ex.getRequestHeaders().getFirst("Cookie");
        if (cookies == null) {
            return false;
        }
        for (String c : cookies.split(";")) {
            String[] kv = c.trim().split("=", 2);
            if (kv.length == 2 && kv[0].equals("access-token") && sessionCookies.contains(kv[1])) {
                return true;
            }
        }
        return false;
    }

    private ObjectNode configJson() {
        ObjectNode c = NODES.objectNode();
        c.put("version", config.flavor.version);
        c.put("mode", "blocks");
        if (config.flavor.protocol != null) {
            c.put("protocol", config.flavor.protocol);
        }
        if (config.flavor == Flavor.GRADIO_5) {
            c.put("api_prefix", config.flavor.prefix);
        }
        c.putArray("components");
        ArrayNode deps = c.putArray("dependencies");
        int max = byIndex.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1);
        boolean ids = config.flavor != Flavor.GRADIO_3 && config.flavor != Flavor.GRADIO_4_0;
        for (int i = 0; i <= max; i++) {
            FakeEndpoint e = byIndex.get(i);
            ObjectNode d = deps.addObject();
            if (ids) {
                d.put("id", i);
            }
            if (e == null || e.apiName == null) {
                d.put("api_name", false);
            } else {
                d.put("api_name", e.apiName);
            }
            d.putArray("inputs");
            d.putArray("outputs");
            d.put("backend_fn", e != null);
            if (e != null && !e.queued) {
                d.put("queue", false);
            }
        }
        return c;
    }

    private FakeEndpoint endpointNamed(String name) {
        return byIndex.values().stream()
                .filter(e -> name.equals(e.apiName))
                .findFirst()
                .orElse(null);
    }

    private boolean submitFaults(HttpExchange ex) throws IOException {
        if (faults.contains(Fault.RATE_LIMITED)) {
            ex.getResponseHeaders().add("Retry-After", "7");
            json(ex, 429, Map.of("detail", "Too many requests; slow down."));
            return true;
        }
        if (faults.contains(Fault.QUEUE_FULL)) {
            json(ex, 503, Map.of("detail", "Queue is full."));
            return true;
        }
        if (faults.contains(Fault.SERVER_ERROR)) {
            text(ex, 500, "text/plain", "Internal Server Error");
            return true;
        }
        if (faults.contains(Fault.REJECT_INPUT)) {
            json(
                    ex,
                    422,
                    Map.of(
                            "detail",
                            List.of(Map.of(
                                    "type",
                                    "list_type",
                                    "loc",
                                    List.of("body", "data"),
                                    "msg",
                                    "Input should be a valid list"))));
            return true;
        }
        return false;
    }

    private void queueJoin(HttpExchange ex, byte[] body) throws IOException {
        if (submitFaults(ex)) {
            return;
        }
        JsonNode join = JSON.readTree(body);
        FakeEndpoint endpoint = byIndex.get(join.path("fn_index").asInt(-1));
        if (endpoint == null || !join.path("data").isArray()) {
            json(ex, 422, Map.of("detail", "bad fn_index or data"));
            return;
        }
        Event e = new Event(
                endpoint,
                (ArrayNode) join.get("data"),
                join.path("session_hash").asText());
        events.put(e.id, e);
        sessions.computeIfAbsent(e.session, k -> new ConcurrentLinkedQueue<>()).add(e);
        json(ex, 200, Map.of("event_id", e.id));
    }

    private void queueData(HttpExchange ex, String session) throws IOException, InterruptedException {
        Queue<Event> pending = sessions.remove(session);
        if (pending == null || pending.isEmpty()) {
            json(ex, 404, Map.of("detail", "Session not found."));
            return;
        }
        OutputStream out = openStream(ex);
        if (out == null) {
            return;
        }
        sendData(out, Map.of("msg", "heartbeat"));
        for (Event e : pending) {
            if (!process(out, e, config.flavor.diffs())) {
                return;
            }
        }
        if (config.flavor.protocol.equals("sse_v3")) {
            sendData(out, Map.of("msg", "close_stream", "event_id", pending.peek().id));
        }
    }

    private void queueJoin40(HttpExchange ex, String query) throws IOException, InterruptedException {
        FakeEndpoint endpoint = byIndex.get(Integer.parseInt(param(query, "fn_index")));
        if (endpoint == null) {
            json(ex, 404, Map.of("detail", "no such fn_index"));
            return;
        }
        OutputStream out = openStream(ex);
        if (out == null) {
            return;
        }
        if (faults.contains(Fault.QUEUE_FULL)) {
            sendData(out, Map.of("msg", "queue_full"));
            return;
        }
        Event e = new Event(endpoint, NODES.arrayNode(), param(query, "session_hash"));
        events.put(e.id, e);
        sendData(out, Map.of("msg", "send_data", "event_id", e.id));
        ArrayNode data;
        try {
            data = e.lateData.get(10, TimeUnit.SECONDS);
        } catch (Exception timeout) {
            return;
        }
        e.inputs.addAll(data);
        process(out, e, false);
    }

    /** Runs one event on a queue stream; false when the stream must end now (a fault). */
    private boolean process(OutputStream out, Event e, boolean diffs) throws IOException, InterruptedException {
        sendData(out, ordered("msg", "estimation", "event_id", e.id, "rank", 0, "queue_size", 1, "rank_eta", 1.5));
        if (faults.contains(Fault.HEARTBEATS_FOREVER)) {
            heartbeatsForever(out, e, () -> sendData(out, Map.of("msg", "heartbeat")));
            return false;
        }
        if (faults.contains(Fault.UNEXPECTED_ERROR)) {
            sendData(
                    out,
                    ordered(
                            "msg",
                            "unexpected_error",
                            "event_id",
                            e.id,
                            "message",
                            "worker crashed: CUDA out of memory",
                            "success",
                            false));
            return false;
        }
        sendData(out, ordered("msg", "process_starts", "event_id", e.id, "eta", 2.0));
        if (endlessEvent(out)) {
            return false;
        }
        if (faults.contains(Fault.MALFORMED_JSON)) {
            write(out, "data: {\"msg\": \"process_generating\", oops\n\n");
            return false;
        }
        if (faults.contains(Fault.DISCONNECT_MID_STREAM)) {
            return false;
        }
        Sink sink = new Sink() {
            @Override
            public void progress(ArrayNode steps) throws IOException {
                ObjectNode m = message("progress", e);
                m.set("progress_data", steps);
                sendData(out, m);
            }

            @Override
            public void log(String level, String text) throws IOException {
                ObjectNode m = message("log", e);
                m.put("log", text);
                m.put("level", level);
                sendData(out, m);
            }

            @Override
            public void generating(ArrayNode previous, ArrayNode data) throws IOException {
                ObjectNode m = message("process_generating", e);
                m.put("success", true);
                ObjectNode output = m.putObject("output");
                output.set("data", diffs && previous != null ? diffAll(previous, data) : data);
                output.put("is_generating", true);
                sendData(out, m);
            }

            @Override
            public void heartbeat() throws IOException {
                sendData(out, Map.of("msg", "heartbeat"));
            }
        };
        ObjectNode done = message("process_completed", e);
        try {
            ArrayNode outputs = JSON.valueToTree(e.endpoint.handler.handle(new Call(e, sink)));
            done.put("success", true);
            ObjectNode output = done.putObject("output");
            output.set("data", outputs);
            output.put("is_generating", false);
            output.put("duration", 0.25);
            output.put("average_duration", 0.25);
        } catch (InterruptedException cancelled) {
            return false;
        } catch (IOException gone) {
            throw gone;
        } catch (Exception failure) {
            done.put("success", false);
            ObjectNode output = done.putObject("output");
            output.put("error", failure instanceof AppError ? failure.getMessage() : null);
            output.put("title", "Error");
        }
        sendData(out, done);
        events.remove(e.id);
        return true;
    }

    private void callSubmit(HttpExchange ex, String name, byte[] body) throws IOException {
        if (submitFaults(ex)) {
            return;
        }
        FakeEndpoint endpoint = endpointNamed(name);
        JsonNode request = JSON.readTree(body);
        if (endpoint == null) {
            json(ex, 404, Map.of("detail", "Not Found"));
            return;
        }
        if (!request.path("data").isArray()) {
            json(ex, 422, Map.of("detail", "data must be a list"));
            return;
        }
        Event e = new Event(endpoint, (ArrayNode) request.get("data"), "call");
        events.put(e.id, e);
        json(ex, 200, Map.of("event_id", e.id));
    }

    private void callStream(HttpExchange ex, String rest) throws IOException, InterruptedException {
        int slash = rest.indexOf('/');
        Event e = slash < 0 ? null : events.get(rest.substring(slash + 1));
        if (e == null) {
            json(ex, 404, Map.of("detail", "Event not found"));
            return;
        }
        OutputStream out = openStream(ex);
        if (out == null) {
            return;
        }
        if (faults.contains(Fault.HEARTBEATS_FOREVER)) {
            heartbeatsForever(out, e, () -> write(out, "event: heartbeat\ndata: null\n\n"));
            return;
        }
        if (faults.contains(Fault.MALFORMED_JSON)) {
            write(out, "event: complete\ndata: [\"unterminated\n\n");
            return;
        }
        if (endlessEvent(out)) {
            return;
        }
        if (faults.contains(Fault.DISCONNECT_MID_STREAM)) {
            write(out, "event: heartbeat\ndata: null\n\n");
            return;
        }
        Sink sink = new Sink() {
            @Override
            public void progress(ArrayNode steps) {}

            @Override
            public void log(String level, String message) {}

            @Override
            public void generating(ArrayNode previous, ArrayNode data) throws IOException {
                write(out, "event: generating\ndata: " + data + "\n\n");
            }

            @Override
            public void heartbeat() throws IOException {
                write(out, "event: heartbeat\ndata: null\n\n");
            }
        };
        try {
            ArrayNode outputs = JSON.valueToTree(e.endpoint.handler.handle(new Call(e, sink)));
            write(out, "event: complete\ndata: " + outputs + "\n\n");
        } catch (InterruptedException cancelled) {
            return;
        } catch (IOException gone) {
            throw gone;
        } catch (Exception failure) {
            String data = config.flavor == Flavor.GRADIO_5 || !(failure instanceof AppError)
                    ? "null"
                    : JSON.writeValueAsString(failure.getMessage());
            write(out, "event: error\ndata: " + data + "\n\n");
        } finally {
            events.remove(e.id);
        }
    }

    private void run(HttpExchange ex, String name, JsonNode request) throws IOException {
        if (submitFaults(ex)) {
            return;
        }
        FakeEndpoint endpoint =
                name.equals("predict") ? byIndex.get(request.path("fn_index").asInt(-1)) : endpointNamed(name);
        if (endpoint == null || !request.path("data").isArray()) {
            json(ex, 404, Map.of("detail", "Not Found"));
            return;
        }
        Event e = new Event(
                endpoint,
                (ArrayNode) request.get("data"),
                request.path("session_hash").asText());
        Sink ignore = new Sink() {
            @Override
            public void progress(ArrayNode steps) {}

            @Override
            public void log(String level, String message) {}

            @Override
            public void generating(ArrayNode previous, ArrayNode data) {}

            @Override
            public void heartbeat() {}
        };
        try {
            Object outputs = endpoint.handler.handle(new Call(e, ignore));
            json(ex, 200, ordered("data", outputs, "is_generating", false, "duration", 0.25, "average_duration", 0.25));
        } catch (AppError failure) {
            json(ex, 500, Map.of("error", failure.getMessage()));
        } catch (Exception failure) {
            json(ex, 500, Map.of("error", String.valueOf(failure)));
        }
    }

    private void upload(HttpExchange ex, byte[] body) throws IOException {
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        Matcher m = type == null
                ? null
                : Pattern.compile("boundary=\"?([^\";]+)\"?").matcher(type);
        if (m == null || !m.find()) {
            json(ex, 400, Map.of("detail", "expected multipart/form-data"));
            return;
        }
        String raw = new String(body, StandardCharsets.ISO_8859_1);
        String delimiter = "--" + m.group(1);
        List<String> paths = new ArrayList<>();
        for (String part : raw.split(Pattern.quote(delimiter))) {
            int split = part.indexOf("\r\n\r\n");
            if (split < 0) {
                continue;
            }
            String head = part.substring(0, split);
            if (!head.contains("name=\"files\"")) {
                continue;
            }
            Matcher fn = Pattern.compile("filename=\"([^\"]*)\"").matcher(head);
            String name = fn.find() ? fn.group(1) : "upload";
            String content = part.substring(split + 4);
            if (content.endsWith("\r\n")) {
                content = content.substring(0, content.length() - 2);
            }
            paths.add(addFile(name, content.getBytes(StandardCharsets.ISO_8859_1), "application/octet-stream"));
        }
        json(ex, 200, paths);
    }

    private void file(HttpExchange ex, String path) throws IOException, InterruptedException {
        boolean moved = ex.getRequestURI().getRawPath().startsWith("/moved/");
        URI elsewhere = filesRedirectedTo;
        if (elsewhere != null) {
            ex.getResponseHeaders().add("Location", elsewhere + "/file=" + path);
            ex.sendResponseHeaders(302, -1);
            return;
        }
        if (faults.contains(Fault.REDIRECT_TO_FILE_SCHEME)) {
            ex.getResponseHeaders().add("Location", "file:///etc/passwd");
            ex.sendResponseHeaders(302, -1);
            return;
        }
        if (faults.contains(Fault.REDIRECT_FILES) && !moved) {
            ex.getResponseHeaders().add("Location", "/moved/file=" + path);
            ex.sendResponseHeaders(302, -1);
            return;
        }
        if (faults.contains(Fault.ENDLESS_DOWNLOAD) || faults.contains(Fault.HUGE_CONTENT_LENGTH)) {
            ex.getResponseHeaders().add("Content-Type", "video/mp4");
            ex.sendResponseHeaders(200, faults.contains(Fault.HUGE_CONTENT_LENGTH) ? 10_000_000_000L : 0);
            byte[] zeros = new byte[64 * 1024];
            OutputStream out = ex.getResponseBody();
            while (!closed.get()) {
                out.write(zeros);
            }
            return;
        }
        StoredFile f = files.get(path);
        if (f == null) {
            json(ex, 404, Map.of("detail", "File not found"));
            return;
        }
        Headers h = ex.getResponseHeaders();
        h.add("Content-Type", f.mime());
        h.add("Accept-Ranges", "bytes");
        byte[] content = f.content();
        String range = ex.getRequestHeaders().getFirst("Range");
        Matcher r = range == null ? null : RANGE.matcher(range);
        if (r != null && r.matches()) {
            int start = Integer.parseInt(r.group(1));
            int end = r.group(2).isEmpty()
                    ? content.length - 1
                    : Math.min(Integer.parseInt(r.group(2)), content.length - 1);
            if (start >= content.length) {
                h.add("Content-Range", "bytes */" + content.length);
                ex.sendResponseHeaders(416, -1);
                return;
            }
            h.add("Content-Range", "bytes " + start + "-" + end + "/" + content.length);
            ex.sendResponseHeaders(206, end - start + 1);
            ex.getResponseBody().write(content, start, end - start + 1);
            return;
        }
        ex.sendResponseHeaders(200, content.length);
        if (faults.contains(Fault.TRUNCATE_DOWNLOAD_ONCE) && truncatedOnce.compareAndSet(false, true)) {
            OutputStream out = ex.getResponseBody();
            out.write(content, 0, content.length / 2);
            out.flush();
            // Closing short of Content-Length makes the server drop the connection mid-body.
            return;
        }
        ex.getResponseBody().write(content);
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private void heartbeatsForever(OutputStream out, Event e, IoAction beat) throws IOException, InterruptedException {
        while (!e.cancelled && !closed.get()) {
            beat.run();
            Thread.sleep(50);
        }
    }

    /** Starts an event stream, or answers text/html when that fault is on (then returns null). */
    private OutputStream openStream(HttpExchange ex) throws IOException {
        if (faults.contains(Fault.WRONG_CONTENT_TYPE)) {
            text(ex, 200, "text/html", "<html><body>502 Bad Gateway</body></html>");
            return null;
        }
        ex.getResponseHeaders().add("Content-Type", "text/event-stream; charset=utf-8");
        ex.getResponseHeaders().add("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        return new java.io.FilterOutputStream(ex.getResponseBody()) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                streamedBytes.addAndGet(len);
            }
        };
    }

    /**
     * With ENDLESS_DATA_LINE or ENDLESS_DATA_EVENT on, writes that event until the client hangs up
     * or the fake stops (then true); false when neither fault is on.
     */
    private boolean endlessEvent(OutputStream out) {
        boolean oneLine = faults.contains(Fault.ENDLESS_DATA_LINE);
        if (!oneLine && !faults.contains(Fault.ENDLESS_DATA_EVENT)) {
            return false;
        }
        byte[] chunk =
                (oneLine ? "a".repeat(16 * 1024) : "data: " + "a".repeat(1018) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            if (oneLine) {
                write(out, "data: {\"msg\": \"log\", \"log\": \"");
            }
            while (!closed.get()) {
                out.write(chunk);
            }
        } catch (IOException gone) {
            // the client hung up: what an endless event is for
        }
        return true;
    }

    /** 80 MB of spaces, gzipped to about 80 kilobytes, as a JSON answer. */
    private static void gzipBomb(HttpExchange ex) throws IOException {
        var compressed = new java.io.ByteArrayOutputStream();
        try (var gzip = new java.util.zip.GZIPOutputStream(compressed)) {
            byte[] spaces = " ".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
            gzip.write("{\"version\": \"5.0.0\", \"padding\": \"".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 80; i++) {
                gzip.write(spaces);
            }
            gzip.write("\"}".getBytes(StandardCharsets.US_ASCII));
        }
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.getResponseHeaders().add("Content-Encoding", "gzip");
        ex.sendResponseHeaders(200, compressed.size());
        ex.getResponseBody().write(compressed.toByteArray());
    }

    private static ObjectNode message(String msg, Event e) {
        ObjectNode m = NODES.objectNode();
        m.put("msg", msg);
        m.put("event_id", e.id);
        return m;
    }

    private static Map<String, Object> ordered(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    private static void sendData(OutputStream out, Object message) throws IOException {
        write(out, "data: " + JSON.writeValueAsString(message) + "\n\n");
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void json(HttpExchange ex, int status, Object body) throws IOException {
        text(ex, status, "application/json", JSON.writeValueAsString(body));
    }

    private static void text(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            ex.getResponseBody().write(bytes);
        }
    }

    private static String param(String query, String name) {
        if (query != null) {
            for (String pair : query.split("&")) {
                String[] kv = pair.split("=", 2);
                if (kv[0].equals(name)) {
                    return kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "";
                }
            }
        }
        return null;
    }

    // ---- diffs as Gradio's server computes them (sse_v2+) ------------------------------------

    static ArrayNode diffAll(ArrayNode previous, ArrayNode current) {
        ArrayNode all = NODES.arrayNode();
        for (int i = 0; i < current.size(); i++) {
            ArrayNode edits = NODES.arrayNode();
            JsonNode before = i < previous.size() ? previous.get(i) : NODES.nullNode();
            diff(before, current.get(i), NODES.arrayNode(), edits);
            all.add(edits);
        }
        return all;
    }

    private static void diff(JsonNode a, JsonNode b, ArrayNode path, ArrayNode out) {
        if (a.equals(b)) {
            return;
        }
        if (a.isTextual() && b.isTextual() && b.asText().startsWith(a.asText())) {
            out.add(edit(
                    "append",
                    path,
                    NODES.textNode(b.asText().substring(a.asText().length()))));
        } else if (a.isArray() && b.isArray() && b.size() >= a.size()) {
            for (int i = 0; i < a.size(); i++) {
                diff(a.get(i), b.get(i), path.deepCopy().add(i), out);
            }
            if (b.size() > a.size()) {
                ArrayNode rest = NODES.arrayNode();
                for (int i = a.size(); i < b.size(); i++) {
                    rest.add(b.get(i));
                }
                out.add(edit("append", path, rest));
            }
        } else if (a.isObject() && b.isObject()) {
            List<String> keys = new ArrayList<>();
            a.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                if (!b.has(k)) {
                    out.add(edit("delete", path.deepCopy().add(k), NODES.nullNode()));
                } else {
                    diff(a.get(k), b.get(k), path.deepCopy().add(k), out);
                }
            }
            b.fieldNames().forEachRemaining(k -> {
                if (!a.has(k)) {
                    out.add(edit("add", path.deepCopy().add(k), b.get(k)));
                }
            });
        } else {
            out.add(edit("replace", path, b));
        }
    }

    private static ArrayNode edit(String action, ArrayNode path, JsonNode value) {
        return NODES.arrayNode().add(action).add(path.deepCopy()).add(value);
    }

    @Override
    public String toString() {
        return "FakeGradioServer[" + config.flavor + " at " + root() + ", faults " + faults + "]";
    }
}
