package tv.latent.backend.fal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import tv.latent.backend.testing.FakeCdn;
import tv.latent.backend.testing.Faults;

/**
 * A stand-in for fal's queue on 127.0.0.1, speaking its protocol: {@code POST /{owner}/{app}[/sub]}
 * answers a request id, a position and {@code response_url}/{@code status_url}/{@code cancel_url}
 * (which drop the subpath); {@code GET .../requests/{id}/status} walks IN_QUEUE (positions 2, 1, 0),
 * IN_PROGRESS (with logs) and COMPLETED (with {@code metrics.inference_time}); {@code GET
 * .../requests/{id}} answers the app's output, whose files live on a {@link FakeCdn} (another
 * origin); {@code PUT .../cancel} answers 202. In router mode it is the Hugging Face router's fal
 * route instead: every path under {@code /fal-ai}, {@code ?_subdomain=queue} required, a Bearer
 * token, and {@code response_url}s naming {@code queue.fal.run} (never to be called).
 *
 * <p>It misbehaves on demand in each documented way. Thread-safe.
 *
 * <pre>{@code
 * try (FakeFalServer fal = FakeFalServer.builder().requireKey("fal-key")
 *         .app("fal-ai/fake-video", call -> call.video(TestMedia.mp4(128, 72, 16, 8))).start()) { ... }
 * }</pre>
 */
public final class FakeFalServer implements AutoCloseable {

    /** How the fake misbehaves. */
    public enum Misbehaviour {
        NONE,
        /** 422 content_policy_violation on submit. */
        REFUSE,
        /** COMPLETED, then 422 content_policy_violation when the result is fetched. */
        REFUSE_ON_RESULT,
        /** 429 with {@code Retry-After: 1} on submit. */
        THROTTLE,
        /** 500 on submit (fal does not charge these). */
        SERVER_ERROR,
        /** A result without any video. */
        NO_VIDEO,
        /** A result whose video URL answers 404. */
        GONE_URL,
        /** The status stays IN_PROGRESS for ever. */
        NEVER_COMPLETES,
        /** 429 with {@code Retry-After: 1} on the first status poll of each request, then as usual. */
        THROTTLE_FIRST_POLL
    }

    /** One call the fake received. */
    public record Request(String method, String path, String query, String authorization, JsonNode body) {}

    /** What an app makes of one input. */
    @FunctionalInterface
    public interface App {
        /** The app's output JSON; use {@link Call#file} for files it names. */
        ObjectNode run(Call call) throws Exception;
    }

    /** One run of an app: its input, and the CDN to put output files on. */
    public record Call(JsonNode input, FakeCdn cdn) {
        /** {@code {"url", "content_type", "file_name", "file_size"}} of a file put on the CDN. */
        public ObjectNode file(String name, byte[] content, String contentType) {
            return JSON.createObjectNode()
                    .put("url", cdn.put(name, content, contentType).toString())
                    .put("content_type", contentType)
                    .put("file_name", name)
                    .put("file_size", content.length);
        }

        /** A video app's output: {@code {"video": {...}, "seed": ...}}. */
        public ObjectNode video(byte[] mp4) {
            ObjectNode out = JSON.createObjectNode();
            out.set("video", file("output.mp4", mp4, "video/mp4"));
            out.put("seed", input.path("seed").asLong(42));
            return out;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Javalin app;
    private final FakeCdn cdn = new FakeCdn();
    private final Map<String, App> apps;
    private final String secret;
    private final boolean router;
    private final int pollsBeforeDone;
    private final String refuseWord;
    private final java.time.Duration latency;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<String> cancelled = new CopyOnWriteArrayList<>();
    private final AtomicInteger submits = new AtomicInteger();
    private final Faults<Misbehaviour> faults;

    /** A queued request: its app (owner/app), input, how many status polls it has had, its output. */
    private static final class Job {
        final String app;
        final JsonNode input;
        final AtomicInteger polls = new AtomicInteger();
        final long submittedNanos = System.nanoTime();
        volatile ObjectNode output;
        volatile boolean cancelled;

        Job(String app, JsonNode input) {
            this.app = app;
            this.input = input;
        }
    }

    private FakeFalServer(Builder b) {
        apps = Map.copyOf(b.apps);
        secret = b.secret;
        router = b.router;
        pollsBeforeDone = b.pollsBeforeDone;
        refuseWord = b.refuseWord;
        latency = b.latency;
        faults = new Faults<>(Misbehaviour.NONE, b.misbehaviour);
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.startupWatcherEnabled = false;
            config.routes.post("/*", this::submit);
            config.routes.get("/*", this::get);
            config.routes.put("/*", this::cancel);
        });
        app.start("127.0.0.1", 0);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The base to configure as the backend's {@code url}: the queue host, or the router's fal route. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + app.port() + (router ? "/fal-ai" : ""));
    }

    public FakeCdn cdn() {
        return cdn;
    }

    /** Misbehaves from now on, in every call concerned. */
    public void misbehave(Misbehaviour value) {
        misbehave(value, Integer.MAX_VALUE);
    }

    /** Misbehaves in the next {@code times} calls concerned, then behaves. */
    public void misbehave(Misbehaviour value, int times) {
        faults.set(Objects.requireNonNull(value), times);
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Submits received (POSTs), whatever was answered. */
    public int submits() {
        return submits.get();
    }

    /** Request ids a cancel was received for. */
    public List<String> cancelled() {
        return List.copyOf(cancelled);
    }

    /** The inputs of every submit that was queued, oldest first. */
    public List<JsonNode> inputs() {
        return requests.stream()
                .filter(r -> r.method().equals("POST") && r.body() != null)
                .map(Request::body)
                .toList();
    }

    private boolean misbehaving(Misbehaviour m) {
        return faults.now(m);
    }

    /** The path without the router prefix, or null when this path is not for us (404). */
    private String path(Context ctx) {
        String path = ctx.path();
        if (!router) {
            return path;
        }
        if (!path.startsWith("/fal-ai/") || !"queue".equals(ctx.queryParam("_subdomain"))) {
            return null;
        }
        return path.substring("/fal-ai".length());
    }

    /** Checks the credentials; answers 401 and returns false when they are wrong. */
    private boolean authorized(Context ctx) {
        String expected = router ? "Bearer " + secret : "Key " + secret;
        if (secret != null && !expected.equals(ctx.header("Authorization"))) {
            json(ctx, 401, "{\"detail\": \"Invalid authentication credentials\"}");
            return false;
        }
        return true;
    }

    private void record(Context ctx, JsonNode body) {
        requests.add(new Request(
                ctx.method().name(),
                ctx.path(),
                Objects.requireNonNullElse(ctx.queryString(), ""),
                Objects.requireNonNullElse(ctx.header("Authorization"), ""),
                body));
    }

    private void submit(Context ctx) throws IOException {
        submits.incrementAndGet();
        JsonNode body = JSON.readTree(ctx.body());
        record(ctx, body);
        String path = path(ctx);
        if (path == null) {
            ctx.status(404);
            return;
        }
        if (!authorized(ctx)) {
            return;
        }
        String appId = path.substring(1);
        String[] parts = appId.split("/");
        if (parts.length < 2 || !apps.containsKey(appId)) {
            json(ctx, 404, "{\"detail\": \"Application '" + appId + "' not found\"}");
            return;
        }
        if (misbehaving(Misbehaviour.THROTTLE)) {
            ctx.header("Retry-After", "1");
            json(ctx, 429, "{\"detail\": \"Rate limit exceeded\"}");
            return;
        }
        if (misbehaving(Misbehaviour.SERVER_ERROR)) {
            ctx.header("X-Fal-Retryable", "true");
            json(ctx, 500, "{\"detail\": \"Internal server error\"}");
            return;
        }
        String prompt = body.path("prompt").asText("");
        if (misbehaving(Misbehaviour.REFUSE) || refuseWord != null && prompt.contains(refuseWord)) {
            refuse(ctx);
            return;
        }
        String id = UUID.randomUUID().toString();
        String owned = parts[0] + "/" + parts[1];
        jobs.put(id, new Job(appId, body));
        String host = router ? "https://queue.fal.run" : "http://127.0.0.1:" + app.port();
        String requestUrl = host + "/" + owned + "/requests/" + id;
        ObjectNode answer = JSON.createObjectNode()
                .put("request_id", id)
                .put("status", "IN_QUEUE")
                .put("queue_position", 2)
                .put("response_url", requestUrl)
                .put("status_url", requestUrl + "/status")
                .put("cancel_url", requestUrl + "/cancel");
        json(ctx, 200, answer.toString());
    }

    private static void refuse(Context ctx) {
        json(
                ctx,
                422,
                "{\"detail\": [{\"loc\": [\"body\", \"prompt\"], \"msg\": \"The content could not be processed because"
                        + " it contained material flagged by a content checker.\", \"type\":"
                        + " \"content_policy_violation\", \"url\": \"https://docs.fal.ai/errors#content_policy_violation\"}]}");
    }

    /** {@code /owner/app/requests/{id}[/status]} split into (id, whether status), or null. */
    private static String[] requestOf(String path) {
        String[] parts = path.split("/");
        // "", owner, app, "requests", id [, "status" | "cancel"]
        if (parts.length < 5 || !parts[3].equals("requests")) {
            return null;
        }
        return new String[] {parts[4], parts.length > 5 ? parts[5] : ""};
    }

    private void get(Context ctx) throws IOException {
        record(ctx, null);
        String path = path(ctx);
        String[] request = path == null ? null : requestOf(path);
        if (request == null) {
            ctx.status(404);
            return;
        }
        if (!authorized(ctx)) {
            return;
        }
        Job job = jobs.get(request[0]);
        if (job == null) {
            json(ctx, 404, "{\"detail\": \"Request not found\"}");
            return;
        }
        if (request[1].equals("status")) {
            status(ctx, job);
        } else if (request[1].isEmpty()) {
            result(ctx, job);
        } else {
            ctx.status(404);
        }
    }

    private void status(Context ctx, Job job) {
        int poll = job.polls.incrementAndGet();
        if (poll == 1 && misbehaving(Misbehaviour.THROTTLE_FIRST_POLL)) {
            ctx.header("Retry-After", "1");
            json(ctx, 429, "{\"detail\": \"Rate limit exceeded\"}");
            return;
        }
        ObjectNode answer = JSON.createObjectNode();
        if (latency != null && !job.cancelled) {
            // timed mode: the app works for the latency, then the request is done
            boolean done = System.nanoTime() - job.submittedNanos >= latency.toNanos();
            answer.put("status", done ? "COMPLETED" : "IN_PROGRESS");
            if (done) {
                answer.putObject("metrics").put("inference_time", latency.toMillis() / 1000.0);
            }
            json(ctx, 200, answer.toString());
            return;
        }
        if (job.cancelled) {
            answer.put("status", "COMPLETED");
        } else if (faults.current() == Misbehaviour.NEVER_COMPLETES || poll <= pollsBeforeDone - 1) {
            int position = Math.max(0, pollsBeforeDone - 2 - poll);
            if (faults.current() != Misbehaviour.NEVER_COMPLETES && poll < pollsBeforeDone - 1) {
                answer.put("status", "IN_QUEUE").put("queue_position", position);
            } else {
                answer.put("status", "IN_PROGRESS");
                answer.putArray("logs")
                        .addObject()
                        .put("message", "step " + poll)
                        .put("level", "INFO")
                        .put("timestamp", "2026-01-01T00:00:00Z");
            }
        } else {
            answer.put("status", "COMPLETED");
            answer.putArray("logs");
            answer.putObject("metrics").put("inference_time", 1.5);
        }
        json(ctx, 200, answer.toString());
    }

    private void result(Context ctx, Job job) throws IOException {
        if (misbehaving(Misbehaviour.REFUSE_ON_RESULT)) {
            refuse(ctx);
            return;
        }
        if (job.output == null) {
            try {
                job.output = apps.get(job.app).run(new Call(job.input, cdn));
            } catch (Exception e) {
                json(ctx, 500, "{\"detail\": \"app failed: " + e.getMessage() + "\"}");
                return;
            }
        }
        ObjectNode output = job.output.deepCopy();
        if (misbehaving(Misbehaviour.NO_VIDEO)) {
            output.remove("video");
            output.remove("audio_file");
        }
        if (misbehaving(Misbehaviour.GONE_URL) && output.has("video")) {
            ((ObjectNode) output.get("video")).put("url", cdn.gone("output.mp4").toString());
        }
        json(ctx, 200, output.toString());
    }

    private void cancel(Context ctx) {
        record(ctx, null);
        String path = path(ctx);
        String[] request = path == null ? null : requestOf(path);
        if (request == null || !request[1].equals("cancel")) {
            ctx.status(404);
            return;
        }
        if (!authorized(ctx)) {
            return;
        }
        Job job = jobs.get(request[0]);
        if (job == null) {
            json(ctx, 404, "{\"detail\": \"Request not found\"}");
            return;
        }
        cancelled.add(request[0]);
        job.cancelled = true;
        json(ctx, 202, "{\"status\": \"CANCELLATION_REQUESTED\"}");
    }

    private static void json(Context ctx, int status, String body) {
        ctx.status(status).contentType("application/json").result(body);
    }

    @Override
    public void close() {
        app.stop();
        cdn.close();
    }

    /** Configures a {@link FakeFalServer}. Not thread-safe. */
    public static final class Builder {
        private final Map<String, App> apps = new ConcurrentHashMap<>();
        private String secret;
        private boolean router;
        private int pollsBeforeDone = 4;
        private String refuseWord;
        private java.time.Duration latency;
        private Misbehaviour misbehaviour = Misbehaviour.NONE;

        private Builder() {}

        /** Each request completes {@code value} after its submit, however often it is polled (for benchmarks). */
        public Builder latency(java.time.Duration value) {
            latency = value;
            return this;
        }

        /** An app by its full id ({@code owner/app[/sub]}). */
        public Builder app(String id, App handler) {
            apps.put(id, handler);
            return this;
        }

        /** Answers 401 unless {@code Authorization: Key <key>} (or Bearer, in router mode). */
        public Builder requireKey(String key) {
            secret = key;
            return this;
        }

        /** Speaks as the Hugging Face router's fal route. */
        public Builder router() {
            router = true;
            return this;
        }

        /** Status polls before COMPLETED (default 4: two in the queue, one in progress). */
        public Builder pollsBeforeDone(int value) {
            pollsBeforeDone = value;
            return this;
        }

        /** Refuses (422 content policy) every prompt containing {@code word}. */
        public Builder refusing(String word) {
            refuseWord = word;
            return this;
        }

        public Builder misbehave(Misbehaviour value) {
            misbehaviour = value;
            return this;
        }

        public FakeFalServer start() {
            return new FakeFalServer(this);
        }
    }
}
